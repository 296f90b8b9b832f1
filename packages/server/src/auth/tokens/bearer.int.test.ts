import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOutcome, outcomeText, type TestServer, testServers } from '../../testing/test-server.js';

describe.each(testServers())('bearer tokens on every FHIR request on $name', ({ start }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s?.close());

  const refused: [string, () => Promise<string | null>, RegExp][] = [
    ['no token', async () => null, /needs a bearer access token/],
    ['garbage', async () => 'not-a-jwt', /malformed/],
    ['forged (another key)', () => s.authority.forgedToken('system/*.*'), /signature is not valid/],
    ['expired', () => s.authority.token('system/*.*', { expiresIn: -60 }), /expired/],
    [
      'wrong audience',
      () => s.authority.token('system/*.*', { aud: 'https://other.example/fhir' }),
      /wrong audience/,
    ],
    [
      'wrong issuer',
      () => s.authority.token('system/*.*', { iss: 'https://idp.example' }),
      /not issued by this server/,
    ],
  ];

  it.each(refused)(
    '%s → 401 OperationOutcome with a WWW-Authenticate challenge',
    async (_name, make, reason) => {
      for (const path of ['Patient', 'Patient/123', '', '_history', 'Patient/$export', 'bulk/export/x']) {
        const res = await s.request('GET', path, { token: await make() });
        expect(res.status, path).toBe(401);
        expect(asOutcome(res).issue[0].code).toBe('login');
        expect(outcomeText(res)).toMatch(reason);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="http:\/\/test\.hospitium\/fhir"/);
      }
    },
  );

  it('an invalid token names the error in the challenge (RFC 6750)', async () => {
    const res = await s.request('GET', 'Patient', {
      token: await s.authority.token('system/*.*', { expiresIn: -5 }),
    });
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('a non-bearer Authorization header is refused', async () => {
    const res = await s.request('GET', 'Patient', { headers: { authorization: 'Basic YTpi' } });
    expect(res.status).toBe(401);
    expect(outcomeText(res)).toContain('not a bearer token');
  });

  it('metadata, health and readiness need no token; metadata declares SMART security', async () => {
    const metadata = await s.request('GET', 'metadata', { token: null });
    expect(metadata.status).toBe(200);
    const security = (metadata.body as unknown as { rest: { security: Record<string, unknown> }[] }).rest[0]
      .security;
    expect(JSON.stringify(security.service)).toContain('SMART-on-FHIR');
    expect(JSON.stringify(security.extension)).toContain('"valueUri":"http://test.hospitium/auth/token"');
    expect((await s.request('GET', '/healthz', { token: null })).status).toBe(200);
    expect((await s.request('GET', '/readyz', { token: null })).status).toBe(200);
  });

  it('a valid token without the scope → 403 naming the permission; transactions check every entry', async () => {
    const readOnly = await s.authority.token('system/*.rs');
    const create = await s.request('POST', 'Patient', { token: readOnly, json: { resourceType: 'Patient' } });
    expect(create.status).toBe(403);
    expect(asOutcome(create).issue[0].code).toBe('forbidden');

    const patientsOnly = await s.authority.token('system/Patient.c');
    const transaction = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
        {
          resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' } },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    const before = await s.get('Patient?_summary=count');
    const tx = await s.request('POST', '', { token: patientsOnly, json: transaction });
    expect(tx.status).toBe(403);
    expect(outcomeText(tx)).toContain('Bundle.entry[1]');
    const after = await s.get('Patient?_summary=count');
    expect((after.body as { total?: number }).total).toBe((before.body as { total?: number }).total);

    const batch = await s.request('POST', '', {
      token: patientsOnly,
      json: { ...transaction, type: 'batch' },
    });
    expect(batch.status).toBe(200);
    const statuses = ((batch.body as { entry?: { response?: { status?: string } }[] }).entry ?? []).map(
      (e) => e.response?.status,
    );
    expect(statuses[0]).toMatch(/^201/);
    expect(statuses[1]).toMatch(/^403/);
  });
});
