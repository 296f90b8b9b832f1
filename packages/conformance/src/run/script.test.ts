import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTestScript } from '../script/parse.js';
import { fakeServer, type Route } from '../testing/fake-server.js';
import { runScript } from './script.js';

const base = 'http://fhir.test/fhir';
const OPS = 'http://terminology.hl7.org/CodeSystem/testscript-operation-codes';
const op = (code: string, fields: Record<string, unknown> = {}) => ({
  operation: { type: { system: OPS, code }, ...fields },
});
const check = (fields: Record<string, unknown>) => ({ assert: { warningOnly: false, ...fields } });

const patient = { resourceType: 'Patient', id: 'p1', meta: { versionId: '1' }, gender: 'female' };
/** A server that creates Patient/p1, reads it, and deletes it. */
const crudRoutes: Route[] = [
  {
    method: 'POST',
    url: `${base}/Patient`,
    respond: () => ({
      status: 201,
      headers: { location: `${base}/Patient/p1/_history/1`, etag: 'W/"1"' },
      body: patient,
    }),
  },
  { method: 'GET', url: `${base}/Patient/p1`, respond: () => ({ status: 200, body: patient }) },
  { method: 'DELETE', url: `${base}/Patient/p1`, respond: () => ({ status: 204 }) },
];

async function run(script: Record<string, unknown>, routes: Route[], path = '/nowhere/script.json') {
  const server = fakeServer(routes);
  const parsed = parseTestScript({ resourceType: 'TestScript', ...script });
  const result = await runScript(parsed, { base, client: server.client, path });
  return { result, requests: server.requests };
}

describe('runScript', () => {
  it('creates a contained fixture, reads it back by targetId and checks it', async () => {
    const { result, requests } = await run(
      {
        contained: [{ resourceType: 'Patient', id: 'pt', gender: 'female' }],
        fixture: [{ id: 'pt', autocreate: false, autodelete: true, resource: { reference: '#pt' } }],
        test: [
          {
            name: 'create and read',
            action: [
              op('create', { sourceId: 'pt', responseId: 'created' }),
              check({ response: 'created' }),
              check({ headerField: 'ETag', value: 'W/"1"' }),
              check({ contentType: 'application/fhir+json' }),
              op('read', { targetId: 'pt' }),
              check({ responseCode: '200' }),
              check({ resource: 'Patient' }),
              check({ minimumId: 'pt' }),
              check({ compareToSourceId: 'created', compareToSourceExpression: 'Patient.id' }),
              check({ expression: 'Patient.gender', value: 'female' }),
            ],
          },
        ],
      },
      crudRoutes,
    );
    expect(result.tests[0].asserts.filter((a) => !a.passed)).toEqual([]);
    expect(result.passed).toBe(true);
    // The contained id only names the fixture: it is not sent.
    expect(JSON.parse(requests[0].body ?? '{}')).toEqual({ resourceType: 'Patient', gender: 'female' });
    expect(requests[0].headers['content-type']).toBe('application/fhir+json');
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${base}/Patient`,
      `GET ${base}/Patient/p1`,
      `DELETE ${base}/Patient/p1`, // autodelete
    ]);
  });

  it('autocreates before setup and autodeletes after teardown', async () => {
    const { result, requests } = await run(
      {
        contained: [{ resourceType: 'Patient', id: 'pt' }],
        fixture: [{ id: 'pt', autocreate: true, autodelete: true, resource: { reference: '#pt' } }],
        test: [{ action: [op('read', { targetId: 'pt' }), check({ response: 'okay' })] }],
      },
      crudRoutes,
    );
    expect(result.passed).toBe(true);
    expect(requests.map((r) => r.method)).toEqual(['POST', 'GET', 'DELETE']);
  });

  it('reads fixtures from files beside the script; a JSON array is sent as a JSON Patch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'testscript-'));
    writeFileSync(join(dir, 'patch.json'), JSON.stringify([{ op: 'add', path: '/active', value: true }]));
    const { result, requests } = await run(
      {
        fixture: [
          { id: 'patch', autocreate: false, autodelete: false, resource: { reference: 'patch.json' } },
        ],
        test: [{ action: [op('patch', { sourceId: 'patch', resource: 'Patient', params: '/p1' })] }],
      },
      [{ method: 'PATCH', url: `${base}/Patient/p1`, respond: () => ({ status: 200, body: patient }) }],
      join(dir, 'script.json'),
    );
    expect(result.passed).toBe(true);
    expect(requests[0].headers['content-type']).toBe('application/json-patch+json');
    expect(JSON.parse(requests[0].body ?? '')).toEqual([{ op: 'add', path: '/active', value: true }]);
  });

  it('a failing assert fails its test and names the expected and actual values', async () => {
    const { result } = await run(
      {
        test: [
          {
            name: 'expects 200',
            action: [
              op('read', { resource: 'Patient', params: '/nope' }),
              check({ label: 'is 200', responseCode: '200' }),
            ],
          },
        ],
      },
      crudRoutes,
    );
    expect(result.passed).toBe(false);
    const failed = result.tests[0].asserts[0];
    expect(failed).toMatchObject({
      passed: false,
      label: 'is 200',
      check: 'responseCode equals 200',
      actual: '404',
    });
    expect(failed.exchange).toContain(`GET ${base}/Patient/nope → 404`);
  });

  it('a failing warningOnly assert does not fail the test', async () => {
    const { result } = await run(
      {
        test: [
          {
            action: [
              op('read', { resource: 'Patient', params: '/p1' }),
              check({ responseCode: '201', warningOnly: true }),
            ],
          },
        ],
      },
      crudRoutes,
    );
    expect(result.tests[0].asserts[0].passed).toBe(false);
    expect(result.passed).toBe(true);
  });

  it('validateProfileId fails as unsupported instead of passing silently', async () => {
    const { result } = await run(
      {
        test: [
          {
            action: [
              op('read', { resource: 'Patient', params: '/p1' }),
              check({ validateProfileId: 'us-core' }),
            ],
          },
        ],
      },
      crudRoutes,
    );
    expect(result.passed).toBe(false);
    expect(result.tests[0].asserts[0].message).toContain('validateProfileId is unsupported');
  });

  it('a failed setup fails every test without running it, and teardown still runs', async () => {
    const { result, requests } = await run(
      {
        setup: {
          action: [op('read', { resource: 'Patient', params: '/missing' }), check({ response: 'okay' })],
        },
        test: [
          { name: 'one', action: [op('read', { resource: 'Patient', params: '/p1' })] },
          { name: 'two', action: [] },
        ],
        teardown: { action: [op('delete', { resource: 'Patient', params: '/p1' })] },
      },
      crudRoutes,
    );
    expect(result.passed).toBe(false);
    expect(result.setupFailure).toContain('response equals okay (200)');
    expect(result.tests.map((t) => t.passed)).toEqual([false, false]);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET ${base}/Patient/missing`,
      `DELETE ${base}/Patient/p1`,
    ]);
  });

  it('a fixture that points at nothing fails setup with its name', async () => {
    const { result, requests } = await run(
      {
        fixture: [{ id: 'ghost', autocreate: true, autodelete: false, resource: { reference: '#ghost' } }],
        test: [{ name: 'never runs', action: [op('read', { resource: 'Patient', params: '/p1' })] }],
      },
      crudRoutes,
    );
    expect(result.setupFailure).toBe("fixtures: Fixture 'ghost': no contained resource '#ghost'");
    expect(result.tests).toMatchObject([{ name: 'never runs', passed: false }]);
    expect(requests).toEqual([]);
  });

  it('an unknown operator fails the assert', async () => {
    const { result } = await run(
      {
        test: [
          {
            action: [
              op('read', { resource: 'Patient', params: '/p1' }),
              check({ responseCode: '200', operator: 'roughly' }),
            ],
          },
        ],
      },
      crudRoutes,
    );
    expect(result.tests[0].asserts[0]).toMatchObject({
      passed: false,
      message: "Unsupported assert operator 'roughly'",
    });
  });
});

describe('compareToSourceId without an expression', () => {
  it('compares whole resources ignoring id, meta, text and key order', async () => {
    const stored = { meta: { versionId: '1' }, id: 'p1', gender: 'female', resourceType: 'Patient' };
    const server = fakeServer([
      { method: 'GET', url: `${base}/Patient/p1`, respond: () => ({ status: 200, body: stored }) },
      {
        method: 'GET',
        url: `${base}/Patient/p2`,
        respond: () => ({ status: 200, body: { ...stored, gender: 'male' } }),
      },
    ]);
    const script = parseTestScript({
      resourceType: 'TestScript',
      contained: [{ resourceType: 'Patient', id: 'pt', gender: 'female' }],
      fixture: [{ id: 'pt', autocreate: false, autodelete: false, resource: { reference: '#pt' } }],
      test: [
        { action: [op('read', { resource: 'Patient', params: '/p1' }), check({ compareToSourceId: 'pt' })] },
        { action: [op('read', { resource: 'Patient', params: '/p2' }), check({ compareToSourceId: 'pt' })] },
      ],
    });
    const result = await runScript(script, { base, client: server.client, path: 'x.json' });
    expect(result.tests.map((t) => t.passed)).toEqual([true, false]);
    expect(result.tests[1].asserts[0].actual).toContain('"gender":"male"');
  });
});
