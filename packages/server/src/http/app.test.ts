import { gunzipSync } from 'node:zlib';
import type { Repository } from '@hospitium/db';
import type { OperationOutcome } from '@hospitium/fhir';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../auth/tokens/test-authority.js';
import { createApp } from './app.js';

/** HTTP-layer behaviour that needs no database: a repository that fails loudly if reached. */
const unreachable = new Proxy({} as Repository, {
  get: (_t, name) => () => Promise.reject(new Error(`repository.${String(name)} must not be called`)),
});

const authority = await createTestAuthority('http://test/fhir');
const systemToken = await authority.token('system/*.*');

/** Like a client with a token: requests without an Authorization header get the system token. */
function withDefaultToken(instance: FastifyInstance): void {
  const inject = instance.inject.bind(instance) as (opts: InjectOptions) => Promise<unknown>;
  Object.assign(instance, {
    inject: (opts: InjectOptions) =>
      inject({ ...opts, headers: { authorization: `Bearer ${systemToken}`, ...opts.headers } }),
  });
}

const apps: FastifyInstance[] = [];
function app(options: Partial<Parameters<typeof createApp>[0]> = {}): FastifyInstance {
  const instance = createApp({
    repository: unreachable,
    config: { baseUrl: 'http://test/fhir', bodyLimit: 1024 },
    auth: authority,
    ...options,
  });
  withDefaultToken(instance);
  apps.push(instance);
  return instance;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

function outcome(body: string): OperationOutcome {
  const parsed = JSON.parse(body) as OperationOutcome;
  expect(parsed.resourceType).toBe('OperationOutcome');
  return parsed;
}
const text = (o: OperationOutcome) => o.issue.map((i) => i.details?.text).join(' ');

describe('health', () => {
  it('GET /healthz answers 200 at once', async () => {
    const res = await app().inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz follows the readiness callback', async () => {
    expect((await app({ ready: async () => true }).inject({ url: '/readyz' })).statusCode).toBe(200);
    const notReady = await app({ ready: async () => false }).inject({ url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(text(outcome(notReady.body))).toContain('Not ready');
    const failing = await app({
      ready: async () => {
        throw new Error('connection refused');
      },
    }).inject({ url: '/readyz' });
    expect(failing.statusCode).toBe(503);
    expect(failing.body).not.toContain('connection refused');
  });
});

describe('every error is an OperationOutcome', () => {
  it('GET / without a built web app is a page saying so and naming the FHIR base, with a strict CSP', async () => {
    const res = await app({ config: { baseUrl: 'http://test/fhir?<x>' } }).inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body).toContain('web app is not built');
    expect(res.body).toContain('http://test/fhir?&lt;x&gt;/metadata');
    expect(res.body).not.toContain('<x>');
  });

  it('404 for paths outside the API and unknown resource types', async () => {
    const a = app();
    const res = await a.inject({ url: '/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(outcome(res.body).issue[0].code).toBe('not-found');
    const type = await a.inject({ url: '/fhir/Patients/1' });
    expect(type.statusCode).toBe(404);
    expect(text(outcome(type.body))).toContain("Unknown resource type 'Patients'");
  });

  it('405 for a method the path does not allow', async () => {
    const res = await app().inject({ method: 'PUT', url: '/fhir/metadata', payload: {} });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(outcome(res.body).issue[0].code).toBe('not-supported');
  });

  it('400 naming the parse problem for malformed JSON', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { 'content-type': 'application/fhir+json' },
      payload: '{"resourceType": "Patient", "active": tru}',
    });
    expect(res.statusCode).toBe(400);
    expect(text(outcome(res.body))).toMatch(/^Malformed JSON: .+/);
  });

  it('400 for prototype-polluting bodies, and nothing is polluted', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { 'content-type': 'application/fhir+json' },
      payload: '{"resourceType":"Patient","__proto__":{"polluted":true}}',
    });
    expect(res.statusCode).toBe(400);
    expect(text(outcome(res.body))).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('413 for a body over the limit', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({ resourceType: 'Patient', text: { div: 'x'.repeat(2000) } }),
    });
    expect(res.statusCode).toBe(413);
    expect(outcome(res.body).issue[0].code).toBe('too-long');
    expect(text(outcome(res.body))).toContain('1024 bytes');
  });

  it('the default limit is 16 MB: a 17 MB body → 413', async () => {
    const a = createApp({
      repository: unreachable,
      config: { baseUrl: 'http://test/fhir' },
      auth: authority,
    });
    withDefaultToken(a);
    apps.push(a);
    const res = await a.inject({
      method: 'POST',
      url: '/fhir',
      headers: { 'content-type': 'application/fhir+json' },
      payload: `{"resourceType":"Bundle","type":"batch","x":"${'x'.repeat(17 * 1024 * 1024)}"}`,
    });
    expect(res.statusCode).toBe(413);
    expect(text(outcome(res.body))).toContain(`${16 * 1024 * 1024} bytes`);
  });

  it('415 for XML, text and missing content types', async () => {
    const a = app();
    for (const contentType of ['application/fhir+xml', 'text/plain']) {
      const res = await a.inject({
        method: 'POST',
        url: '/fhir/Patient',
        headers: { 'content-type': contentType },
        payload: '<Patient xmlns="http://hl7.org/fhir"/>',
      });
      expect(res.statusCode).toBe(415);
      expect(text(outcome(res.body))).toContain(contentType);
    }
    const none = await a.inject({
      method: 'POST',
      url: '/fhir/Patient',
      payload: Buffer.from('{"resourceType":"Patient"}'),
    });
    expect(none.statusCode).toBe(415);
    outcome(none.body);
  });

  it('415 for a form body anywhere but POST _search', async () => {
    const res = await app().inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'resourceType=Patient',
    });
    expect(res.statusCode).toBe(415);
    expect(text(outcome(res.body))).toContain('_search');
  });

  it('406 for _format=xml and an XML-only Accept', async () => {
    const a = app();
    const format = await a.inject({ url: '/fhir/metadata?_format=xml' });
    expect(format.statusCode).toBe(406);
    expect(text(outcome(format.body))).toContain("_format 'xml'");
    const accept = await a.inject({ url: '/fhir/metadata', headers: { accept: 'application/fhir+xml' } });
    expect(accept.statusCode).toBe(406);
  });

  it('400 for a malformed percent-encoding in the path', async () => {
    const res = await app().inject({ url: '/fhir/Patient/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    outcome(res.body);
  });

  it('400 for an invalid id', async () => {
    const res = await app().inject({ url: `/fhir/Patient/${'x'.repeat(65)}` });
    expect(res.statusCode).toBe(400);
    expect(text(outcome(res.body))).toContain('Invalid id');
  });

  it('500 without leaking the error, which is logged', async () => {
    const logged: unknown[] = [];
    const logger = {
      level: 'info',
      fatal() {},
      error(obj: unknown) {
        logged.push(obj);
      },
      warn() {},
      info() {},
      debug() {},
      trace() {},
      silent() {},
      child() {
        return logger;
      },
    };
    const res = await app({ logger }).inject({ url: '/fhir/Patient/1' });
    expect(res.statusCode).toBe(500);
    const o = outcome(res.body);
    expect(o.issue[0].code).toBe('exception');
    expect(res.body).not.toContain('must not be called');
    expect(res.body).not.toContain('at ');
    expect(JSON.stringify(logged.map((l) => String((l as { err?: unknown }).err)))).toContain(
      'must not be called',
    );
  });
});

describe('compression', () => {
  it('gzips a large response for a client that accepts it, and only then', async () => {
    const server = app();
    const plain = await server.inject({ url: '/fhir/metadata' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await server.inject({ url: '/fhir/metadata', headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const body = gunzipSync(zipped.rawPayload).toString('utf8');
    expect(JSON.parse(body)).toEqual(JSON.parse(plain.body));
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
    const small = await server.inject({ url: '/healthz', headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
  });
});

describe('request log', () => {
  it('writes one line per request, without the query string (it carries patient data)', async () => {
    const lines: { obj: Record<string, unknown>; msg: string; level: string }[] = [];
    const at =
      (level: string) =>
      (obj: Record<string, unknown>, msg = '') => {
        lines.push({ obj, msg, level });
      };
    const logger = {
      level: 'debug',
      fatal: at('fatal'),
      error: at('error'),
      warn: at('warn'),
      info: at('info'),
      debug: at('debug'),
      trace: at('trace'),
      silent() {},
      child() {
        return logger;
      },
    };
    const server = app({ logger });
    await server.inject({ url: '/fhir/Patient?name=Chalmers&birthdate=1974-12-25' });
    await server.inject({ url: '/healthz' });
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.level, l.obj.method, l.obj.path])).toEqual([
      [expect.any(String), 'GET', '/fhir/Patient'],
      ['debug', 'GET', '/healthz'],
    ]);
    expect(typeof requests[0].obj.status).toBe('number');
    expect(typeof requests[0].obj.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('Chalmers');
  });
});

describe('CapabilityStatement', () => {
  it('GET /fhir/metadata describes what is implemented', async () => {
    const res = await app().inject({ url: '/fhir/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const cs = res.json();
    expect(cs).toMatchObject({
      resourceType: 'CapabilityStatement',
      status: 'active',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: expect.arrayContaining(['json']),
      patchFormat: ['application/json-patch+json'],
      implementation: { url: 'http://test/fhir' },
    });
    const rest = cs.rest[0];
    expect(rest.interaction.map((i: { code: string }) => i.code)).toEqual([
      'transaction',
      'batch',
      'history-system',
    ]);
    expect(rest.resource.length).toBe(146);
    const patient = rest.resource.find((r: { type: string }) => r.type === 'Patient');
    expect(patient).toMatchObject({
      versioning: 'versioned-update',
      readHistory: true,
      updateCreate: true,
      conditionalCreate: true,
      conditionalUpdate: true,
      conditionalDelete: 'single',
    });
    expect(patient.interaction.map((i: { code: string }) => i.code)).toEqual(
      expect.arrayContaining([
        'read',
        'vread',
        'update',
        'patch',
        'delete',
        'history-instance',
        'history-type',
        'create',
        'search-type',
      ]),
    );
    const params = new Map(patient.searchParam.map((p: { name: string; type: string }) => [p.name, p.type]));
    expect(params.get('_id')).toBe('token');
    expect(params.get('_lastUpdated')).toBe('date');
    expect(params.get('identifier')).toBe('token');
    expect(params.get('birthdate')).toBe('date');
    // Full text, _list on every type; near on Location; _query (no named queries) is not advertised.
    expect(params.get('_text')).toBe('string');
    expect(params.get('_content')).toBe('string');
    expect(params.get('_list')).toBe('special');
    expect(params.has('_query')).toBe(false);
    const location = rest.resource.find((r: { type: string }) => r.type === 'Location');
    const near = location.searchParam.find((p: { name: string }) => p.name === 'near');
    expect(near).toEqual({
      name: 'near',
      definition: 'http://hl7.org/fhir/SearchParameter/Location-near',
      type: 'special',
    });
    const bundle = rest.resource.find((r: { type: string }) => r.type === 'Bundle');
    const bundleParams = bundle.searchParam.map((p: { name: string }) => p.name);
    expect(bundleParams).toContain('_content');
    expect(bundleParams).not.toContain('_text');
    // Composites are searched (as same-element tuples); `near` is the only special besides _list.
    const observation = rest.resource.find((r: { type: string }) => r.type === 'Observation');
    const obsParams = new Map(
      observation.searchParam.map((p: { name: string; type: string }) => [p.name, p.type]),
    );
    expect(obsParams.get('component-code-value-quantity')).toBe('composite');
    expect([...obsParams.entries()].filter(([, type]) => type === 'special')).toEqual([['_list', 'special']]);
  });
});
