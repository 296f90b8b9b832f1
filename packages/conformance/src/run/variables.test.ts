import { describe, expect, it } from 'vitest';
import { parseTestScript } from '../script/parse.js';
import { fakeServer } from '../testing/fake-server.js';
import { runScript } from './script.js';
import { RunState } from './state.js';
import { evaluateJsonPath, substitute, substituteDeep } from './variables.js';

const base = 'http://fhir.test/fhir';

function stateWith(variables: ConstructorParameters<typeof RunState>[1]): RunState {
  const state = new RunState(base, variables);
  state.fixtures.set('resp', {
    id: 'resp',
    exchange: {
      request: { method: 'GET', url: `${base}/Patient/1`, headers: {} },
      response: {
        status: 200,
        headers: { location: `${base}/Patient/1/_history/2`, etag: 'W/"2"' },
        text: '',
        body: { resourceType: 'Patient', id: '1', name: [{ family: 'Curie', given: ['Marie', 'S.'] }] },
      },
    },
  });
  state.fixtures.set('static', { id: 'static', body: { resourceType: 'Patient', gender: 'female' } });
  return state;
}

describe('variables', () => {
  it('evaluate FHIRPath, header fields and JSON paths against the named fixture', () => {
    const state = stateWith([
      { name: 'family', expression: 'Patient.name.family', sourceId: 'resp' },
      { name: 'etag', headerField: 'ETag', sourceId: 'resp' },
      { name: 'given', path: '$.name[0].given[1]', sourceId: 'resp' },
      { name: 'gender', expression: 'Patient.gender', sourceId: 'static' },
    ]);
    expect(substitute(`\${family}|\${etag}|\${given}|\${gender}`, state)).toBe('Curie|W/"2"|S.|female');
  });

  it('fall back to defaultValue when the source has nothing', () => {
    const state = stateWith([
      { name: 'x', expression: 'Patient.birthDate', sourceId: 'resp', defaultValue: '1900' },
    ]);
    expect(substitute(`born \${x}`, state)).toBe('born 1900');
  });

  it('without sourceId read the last response', () => {
    const state = stateWith([{ name: 'id', expression: 'Patient.id' }]);
    expect(() => substitute(`\${id}`, state)).toThrow("Variable 'id' has no value");
    state.last = state.fixtures.get('resp')?.exchange;
    expect(substitute(`\${id}`, state)).toBe('1');
  });

  it('refuse undeclared variables and variables without a value', () => {
    const state = stateWith([{ name: 'none', expression: 'Patient.birthDate', sourceId: 'resp' }]);
    expect(() => substitute(`\${nope}`, state)).toThrow("Variable 'nope' is not declared");
    expect(() => substitute(`\${none}`, state)).toThrow("Variable 'none' has no value");
    expect(() =>
      substitute(`\${x}`, stateWith([{ name: 'x', sourceId: 'missing', expression: 'id' }])),
    ).toThrow("No fixture 'missing'");
  });

  it(`leave text without \${…} alone, including $ in operation names and composites`, () => {
    const state = stateWith([]);
    expect(substitute('/$export?x=a$gt1', state)).toBe('/$export?x=a$gt1');
  });

  it('are substituted inside fixture bodies', () => {
    const state = stateWith([{ name: 'family', expression: 'Patient.name.family', sourceId: 'resp' }]);
    expect(substituteDeep({ a: [`Dr \${family}`, 3, { b: `\${family}` }], c: true }, state)).toEqual({
      a: ['Dr Curie', 3, { b: 'Curie' }],
      c: true,
    });
  });

  it('JSON paths index arrays and flatten unindexed ones', () => {
    const data = { entry: [{ r: { id: 'a' } }, { r: { id: 'b' } }] };
    expect(evaluateJsonPath(data, '$.entry.r.id')).toEqual(['a', 'b']);
    expect(evaluateJsonPath(data, 'entry[1].r.id')).toEqual(['b']);
    expect(evaluateJsonPath(data, '$.entry[5].r')).toEqual([]);
  });

  it('see the latest response under a responseId when used in a later operation', async () => {
    const server = fakeServer([
      {
        method: 'POST',
        url: `${base}/Patient`,
        respond: () => ({ status: 201, headers: { location: `${base}/Patient/new-1/_history/1` } }),
      },
      {
        method: 'GET',
        url: `${base}/Patient/new-1`,
        respond: () => ({ status: 200, body: { resourceType: 'Patient', id: 'new-1' } }),
      },
    ]);
    const script = parseTestScript({
      resourceType: 'TestScript',
      contained: [{ resourceType: 'Patient', id: 'p' }],
      fixture: [{ id: 'p', autocreate: false, autodelete: false, resource: { reference: '#p' } }],
      variable: [{ name: 'loc', headerField: 'Location', sourceId: 'made' }],
      test: [
        {
          action: [
            { operation: { type: { code: 'create' }, sourceId: 'p', responseId: 'made' } },
            { operation: { type: { code: 'read' }, url: `\${loc}`, encodeRequestUrl: false } },
            { operation: { type: { code: 'read' }, targetId: 'made' } },
            { assert: { expression: 'Patient.id', value: 'new-1', warningOnly: false } },
          ],
        },
      ],
    });
    const result = await runScript(script, { base, client: server.client, path: 'x.json' });
    expect(server.requests.map((r) => r.url)).toEqual([
      `${base}/Patient`,
      `${base}/Patient/new-1/_history/1`,
      `${base}/Patient/new-1`,
    ]);
    expect(result.tests[0].asserts[0].passed).toBe(true);
  });
});
