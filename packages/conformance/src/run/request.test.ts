import { describe, expect, it } from 'vitest';
import type { Operation } from '../script/types.js';
import { buildRequest, encodeQuery } from './request.js';
import { RunState } from './state.js';

const base = 'http://fhir.test/fhir';
const code = (c: string, fields: Partial<Operation> = {}): Operation => ({ type: { code: c }, ...fields });

function state(): RunState {
  const s = new RunState(base, [{ name: 'id', defaultValue: 'p1' }]);
  s.fixtures.set('pt', {
    id: 'pt',
    body: { resourceType: 'Patient', gender: 'male' },
    created: { type: 'Patient', id: 'p1', versionId: '3' },
  });
  s.fixtures.set('bundle', { id: 'bundle', body: { resourceType: 'Bundle', type: 'transaction' } });
  return s;
}
const url = (op: Operation) => {
  const r = buildRequest(op, state());
  return `${r.method} ${r.url}`;
};

describe('buildRequest', () => {
  it('maps operation codes to interactions', () => {
    expect(url(code('capabilities'))).toBe(`GET ${base}/metadata`);
    expect(url(code('read', { targetId: 'pt' }))).toBe(`GET ${base}/Patient/p1`);
    expect(url(code('vread', { targetId: 'pt' }))).toBe(`GET ${base}/Patient/p1/_history/3`);
    expect(url(code('history', { targetId: 'pt' }))).toBe(`GET ${base}/Patient/p1/_history`);
    expect(url(code('history', { resource: 'Patient', params: '?_count=1' }))).toBe(
      `GET ${base}/Patient/_history?_count=1`,
    );
    expect(url(code('search', { resource: 'Patient', params: '?name=x' }))).toBe(
      `GET ${base}/Patient?name=x`,
    );
    expect(url(code('create', { sourceId: 'pt' }))).toBe(`POST ${base}/Patient`);
    expect(url(code('update', { sourceId: 'pt', targetId: 'pt' }))).toBe(`PUT ${base}/Patient/p1`);
    expect(url(code('delete', { targetId: 'pt' }))).toBe(`DELETE ${base}/Patient/p1`);
    expect(url(code('delete', { resource: 'Patient', params: '?identifier=a' }))).toBe(
      `DELETE ${base}/Patient?identifier=a`,
    );
    expect(url(code('transaction', { sourceId: 'bundle' }))).toBe(`POST ${base}`);
    expect(url(code('batch', { sourceId: 'bundle' }))).toBe(`POST ${base}`);
    expect(url(code('everything', { targetId: 'pt' }))).toBe(`GET ${base}/Patient/p1/$everything`);
  });

  it('takes url and params as given, with variables, and method overrides', () => {
    expect(
      url(code('search', { resource: 'Patient', params: `/\${id}/$everything`, encodeRequestUrl: false })),
    ).toBe(`GET ${base}/Patient/p1/$everything`);
    expect(url(code('search', { params: '/$export', encodeRequestUrl: false }))).toBe(`GET ${base}/$export`);
    expect(url(code('read', { url: `http://other.test/Patient/\${id}` }))).toBe(
      'GET http://other.test/Patient/p1',
    );
    expect(url(code('read', { url: `Patient/\${id}` }))).toBe(`GET ${base}/Patient/p1`);
    expect(url(code('search', { resource: 'Patient', params: '/_search', method: 'post' }))).toBe(
      `POST ${base}/Patient/_search`,
    );
  });

  it('encodes the query unless encodeRequestUrl is false', () => {
    expect(
      url(
        code('search', {
          resource: 'Patient',
          params: '?identifier=http://x|1&date=ge2020-01-01T00:00:00+01:00',
        }),
      ),
    ).toBe(`GET ${base}/Patient?identifier=http%3A%2F%2Fx%7C1&date=ge2020-01-01T00%3A00%3A00%2B01%3A00`);
    expect(
      url(code('search', { resource: 'Patient', params: '?identifier=http://x|1', encodeRequestUrl: false })),
    ).toBe(`GET ${base}/Patient?identifier=http://x|1`);
    expect(encodeQuery('/a/$b')).toBe('/a/$b');
  });

  it('sends the source fixture with FHIR JSON headers; requestHeader wins', () => {
    const r = buildRequest(
      code('update', {
        sourceId: 'pt',
        targetId: 'pt',
        requestHeader: [{ field: 'If-Match', value: `W/"\${id}"` }],
        accept: 'xml',
      }),
      state(),
    );
    expect(JSON.parse(r.body ?? '')).toEqual({ resourceType: 'Patient', gender: 'male', id: 'p1' });
    expect(r.headers).toEqual({
      accept: 'application/fhir+xml',
      'content-type': 'application/fhir+json',
      'if-match': 'W/"p1"',
    });
  });

  it('an update by URL takes the id from the URL; vread without a known version is refused', () => {
    const r = buildRequest(code('update', { sourceId: 'bundle', url: 'Bundle/b-9' }), state());
    expect(JSON.parse(r.body ?? '').id).toBe('b-9');
    expect(() => buildRequest(code('vread', { resource: 'Patient' }), state())).toThrow('vread needs');
    expect(() => buildRequest(code('read', { targetId: 'nope' }), state())).toThrow("No fixture 'nope'");
  });
});
