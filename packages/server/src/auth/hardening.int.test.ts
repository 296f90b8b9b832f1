import { type Database, testDatabases } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthApp } from '../testing/auth-server.js';

/** Security headers, CORS allow-list and the rate limit on authentication (one engine is enough: no SQL here). */
describe.each(testDatabases().slice(0, 1))('HTTP hardening on $name', ({ open }) => {
  let db: Database;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await open();
    ({ app } = await startAuthApp(
      db,
      {},
      { corsOrigins: ['https://apps.example.org'], authRateLimitPerMinute: 3 },
    ));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('sends security headers on API responses', async () => {
    const res = await app.inject({ url: '/fhir/metadata' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('answers CORS for listed origins only', async () => {
    const allowed = await app.inject({
      method: 'OPTIONS',
      url: '/fhir/Patient',
      headers: {
        origin: 'https://apps.example.org',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://apps.example.org');
    const other = await app.inject({
      method: 'OPTIONS',
      url: '/fhir/Patient',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const get = await app.inject({ url: '/fhir/metadata', headers: { origin: 'https://apps.example.org' } });
    expect(get.headers['access-control-expose-headers']).toContain('Location');
  });

  it('rate-limits the token endpoint per address with a 429 OperationOutcome', async () => {
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials&client_id=nobody&client_secret=nothing-at-all-here',
      });
      statuses.push(res.statusCode);
      last = res.body;
    }
    expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(JSON.parse(last)).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ code: 'throttled' }],
    });
    // The FHIR API itself is not rate-limited by this.
    expect((await app.inject({ url: '/fhir/metadata' })).statusCode).toBe(200);
  });
});
