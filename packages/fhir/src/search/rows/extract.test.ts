import { corpusDir, corpusMissingReason, listCorpus, readCorpusJson } from '@hospitium/test-support';
import { describe, expect, it } from 'vitest';
import { isResource, type Resource } from '../../types.js';
import { extractIndexes, getSearchParameter } from '../index.js';
import type { IndexRows } from '../types.js';

const EMPTY: IndexRows = {
  token: [],
  string: [],
  date: [],
  reference: [],
  number: [],
  quantity: [],
  uri: [],
};

function resourcesOf(root: unknown): Resource[] {
  if (!isResource(root)) return [];
  const out: Resource[] = [root];
  if (root.resourceType === 'Bundle' && Array.isArray(root.entry)) {
    for (const e of root.entry as { resource?: unknown }[]) out.push(...resourcesOf(e.resource));
  }
  return out;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

/** A small deterministic PRNG, so a failing fuzz case can be reproduced. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  42,
  -1.5,
  '',
  'x',
  true,
  [],
  {},
  [[1]],
  [null],
  { reference: 7 },
  '2020-99-99',
];

/** Replaces about one value in five, anywhere in the tree, with an odd one. */
function mangle(v: unknown, rand: () => number): unknown {
  if (rand() < 0.2) return ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)];
  if (Array.isArray(v)) return v.map((x) => mangle(x, rand));
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === 'resourceType' ? x : mangle(x, rand)]),
    );
  }
  return v;
}

describe('extractIndexes', () => {
  it('gives no rows for an unknown type or something that is not a resource', () => {
    expect(extractIndexes({ resourceType: 'NoSuchType', id: '1', name: 'x' })).toEqual(EMPTY);
    expect(extractIndexes(null as unknown as Resource)).toEqual(EMPTY);
    expect(extractIndexes('Patient' as unknown as Resource)).toEqual(EMPTY);
    expect(extractIndexes({} as Resource)).toEqual(EMPTY);
  });

  it('indexes no _id/_lastUpdated (table columns), and composites as same-element tuples', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      id: 'o1',
      meta: { lastUpdated: '2020-01-01T00:00:00Z' },
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: 120, unit: 'mm[Hg]' },
    };
    const { composite, text, ...rows } = extractIndexes(obs);
    // The full-text row: codes and units, not the id, meta or the LOINC system.
    expect(text).toEqual([{ narrative: null, content: '8480-6 mm[hg]' }]);
    const params = Object.values(rows).flatMap((t: { param: string }[]) => t.map((r) => r.param));
    expect(params).not.toContain('_id');
    expect(params).not.toContain('_lastUpdated');
    expect(params.sort()).toEqual(['code', 'combo-code', 'combo-value-quantity', 'value-quantity']);
    expect(composite?.map((c) => [c.param, c.c1.code, c.c2.value, c.c2.text])).toEqual([
      ['code-value-quantity', '8480-6', 120, 'mm[Hg]'],
      ['combo-code-value-quantity', '8480-6', 120, 'mm[Hg]'],
    ]);
  });

  it('drops a value that two parts of a union select (masterIdentifier | identifier)', () => {
    const doc: Resource = {
      resourceType: 'DocumentReference',
      masterIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3' },
      identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3' }],
    };
    expect(extractIndexes(doc).token.filter((r) => r.param === 'identifier')).toEqual([
      { param: 'identifier', system: 'urn:ietf:rfc:3986', code: 'urn:oid:1.2.3', text: null },
    ]);
  });

  it('does not write into the resource (a frozen resource indexes the same)', () => {
    const patient: Resource = {
      resourceType: 'Patient',
      name: [{ family: 'Doe' }],
      deceasedDateTime: '2020-01-01',
      generalPractitioner: [{ reference: 'Practitioner/1' }],
    };
    const expected = extractIndexes(structuredClone(patient));
    expect(extractIndexes(deepFreeze(patient))).toEqual(expected);
    expect(expected.token.find((r) => r.param === 'deceased')?.code).toBe('true');
  });
});

describe.skipIf(!corpusDir)(
  `extractIndexes over the corpus${corpusDir ? '' : ` (${corpusMissingReason})`}`,
  () => {
    const examples = corpusDir
      ? listCorpus('fhir-examples', 'r4').flatMap((f) => resourcesOf(readCorpusJson(`fhir-examples/r4/${f}`)))
      : [];

    it('indexes every example with rows of the parameter type and no duplicates', () => {
      let total = 0;
      for (const resource of examples) {
        const rows = extractIndexes(resource);
        for (const [table, list] of Object.entries(rows) as [keyof IndexRows, { param: string }[]][]) {
          // One full-text row per resource, without a parameter (`_text` and `_content` share it).
          if (table === 'text') continue;
          const seen = new Set<string>();
          for (const row of list) {
            // `identifier:of-type` rows belong to a token parameter, `subject:identifier` ones to a reference.
            const [base, derived] = row.param.split(':');
            expect(
              getSearchParameter(resource.resourceType, base)?.type,
              `${resource.resourceType}.${row.param}`,
            ).toBe(derived === 'identifier' ? 'reference' : table === 'position' ? 'special' : table);
            const key = JSON.stringify(row);
            expect(seen.has(key), key).toBe(false);
            seen.add(key);
            total++;
          }
        }
      }
      expect(total).toBeGreaterThan(2_000);
    });

    it('indexes a Synthea patient the way a registrar would search for her', () => {
      const file = listCorpus('synthea', 'fhir-r4').find((f) => f.startsWith('Alda_Carter'))!;
      const patient = resourcesOf(readCorpusJson(`synthea/fhir-r4/${file}`)).find(
        (r) => r.resourceType === 'Patient',
      )!;
      const rows = extractIndexes(patient);
      expect(rows.string.filter((r) => r.param === 'family').map((r) => r.exact)).toContain('Carter');
      expect(rows.token.filter((r) => r.param === 'identifier').length).toBeGreaterThan(2);
      expect(rows.date.find((r) => r.param === 'birthdate')).toMatchObject({
        start: expect.stringMatching(/T00:00:00.000Z$/),
      });
    });

    it('never throws on mangled resources', () => {
      const rand = prng(20240601);
      let mangled = 0;
      for (const resource of examples) {
        for (let i = 0; i < 20; i++) {
          const odd = mangle(resource, rand) as Resource;
          expect(() => extractIndexes(odd), `${resource.resourceType}/${resource.id} #${i}`).not.toThrow();
          mangled++;
        }
      }
      expect(mangled).toBeGreaterThan(4_000);
    });
  },
);
