import { describe, expect, it } from 'vitest';
import { readDefinitionFile } from '../../definitions/load.js';
import type { Resource } from '../../types.js';
import { resourceTypes } from '../model/r4-model.js';
import { registeredParams } from '../registry/registry.js';
import { compositeComponentTypes, compositeRows } from './composite.js';
import { compileCompositePaths } from './composite-paths.js';

interface RawParam {
  url: string;
  component?: { definition: string; expression: string }[];
}

const raw = new Map(
  readDefinitionFile<{ entry: { resource: RawParam }[] }>('search-parameters.json').entry.map((e) => [
    e.resource.url,
    e.resource,
  ]),
);

describe('composite rows', () => {
  it('walks every two-component R4 composite on the fast path (no fhirpath at ingest)', () => {
    const slow: string[] = [];
    let fast = 0;
    for (const type of resourceTypes) {
      for (const { def } of registeredParams(type).values()) {
        const components = raw.get(def.url)?.component;
        if (def.type !== 'composite' || !def.expression || components?.length !== 2) continue;
        const compiled = compileCompositePaths(
          type,
          def.expression,
          components.map((c) => c.expression),
        );
        if (compiled) fast++;
        else slow.push(`${type}.${def.code}`);
      }
    }
    expect(slow).toEqual([]);
    expect(fast).toBeGreaterThan(40);
  });

  it('pairs values of the same component only, from the observation and its components', () => {
    const bp: Resource = {
      resourceType: 'Observation',
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      component: [
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 120, code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 80, code: 'mm[Hg]' } },
      ],
    };
    const pairs = compositeRows(bp).map((r) => `${r.param} ${r.c1.code}=${r.c2.value}`);
    expect(pairs.sort()).toEqual([
      'combo-code-value-quantity 8462-4=80',
      'combo-code-value-quantity 8480-6=120',
      'component-code-value-quantity 8462-4=80',
      'component-code-value-quantity 8480-6=120',
    ]);
  });

  it('reads choice types, dates as ranges, references and datatype roots', () => {
    const dated = compositeRows({
      resourceType: 'Observation',
      code: { coding: [{ code: 'x' }] },
      valueDateTime: '2024-05',
    });
    expect(dated.find((r) => r.param === 'code-value-date')?.c2).toMatchObject({
      start: '2024-05-01T00:00:00.000Z',
      end: '2024-05-31T23:59:59.999Z',
    });
    const doc = compositeRows({
      resourceType: 'DocumentReference',
      relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/d0' } }],
    });
    expect(doc).toEqual([
      expect.objectContaining({
        param: 'relationship',
        c1: expect.objectContaining({ code: 'replaces' }),
        c2: expect.objectContaining({ system: 'DocumentReference', code: 'd0' }),
      }),
    ]);
    const context = compositeRows({
      resourceType: 'ValueSet',
      status: 'active',
      useContext: [{ code: { code: 'age' }, valueQuantity: { value: 18, unit: 'a' } }],
    });
    expect(context.map((r) => [r.param, r.c1.code, r.c2.value])).toEqual([
      ['context-type-quantity', 'age', 18],
    ]);
  });

  it('names the component types of a composite, and nothing for other parameters', () => {
    expect(compositeComponentTypes('Observation', 'code-value-quantity')).toEqual(['token', 'quantity']);
    expect(compositeComponentTypes('Observation', 'code')).toBeUndefined();
    expect(compositeComponentTypes('Nope', 'code-value-quantity')).toBeUndefined();
  });

  it('never throws on odd data', () => {
    expect(
      compositeRows({
        resourceType: 'Observation',
        component: [null, 3, { code: 'x' }],
      } as unknown as Resource),
    ).toEqual([]);
  });
});
