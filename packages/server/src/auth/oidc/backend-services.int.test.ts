import { testDatabases } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authTestOrigin } from '../../testing/auth-server.js';
import { testPatient } from '../../testing/fixtures.js';
import { basicAuth } from '../../testing/oauth-client.js';
import { type OAuthFixture, startOAuthFixture } from '../../testing/oauth-fixture.js';
import type { AuthServer } from '../auth-server.js';

/** Discovery and SMART Backend Services: client_credentials with a secret or private_key_jwt; export ownership. */
describe.each(testDatabases())('OAuth 2 backend services on $name', ({ open }) => {
  let f: OAuthFixture;
  let app: FastifyInstance;
  let auth: AuthServer;
  let tokenRequest: OAuthFixture['tokenRequest'];
  let systemHeaders: OAuthFixture['systemHeaders'];

  beforeAll(async () => {
    f = await startOAuthFixture(await open());
    ({ app, auth, tokenRequest, systemHeaders } = f);
  });
  afterAll(async () => f?.close());

  it('publishes SMART and OpenID discovery', async () => {
    for (const url of ['/fhir/.well-known/smart-configuration', '/.well-known/smart-configuration']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.token_endpoint).toBe(`${authTestOrigin}/auth/token`);
      expect(body.capabilities).toEqual(expect.arrayContaining(['launch-standalone', 'permission-v2']));
      expect(body.code_challenge_methods_supported).toEqual(['S256']);
    }
    const oidc = await app.inject({ url: '/auth/.well-known/openid-configuration' });
    expect(oidc.statusCode).toBe(200);
    expect(oidc.json().issuer).toBe(`${authTestOrigin}/auth`);
  });

  it('client_credentials with client_secret_basic and client_secret_post; a wrong secret is refused', async () => {
    const basic = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'system/Patient.rs' },
      { authorization: basicAuth('backend', 'backend-secret-0123456789') },
    );
    expect(basic.status).toBe(200);
    expect(basic.body.scope).toBe('system/Patient.rs');
    const post = await tokenRequest({
      grant_type: 'client_credentials',
      scope: 'system/*.rs',
      client_id: 'backend',
      client_secret: 'backend-secret-0123456789',
    });
    expect(post.status).toBe(200);
    const wrong = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'system/*.rs' },
      { authorization: basicAuth('backend', 'not-the-secret-0123456789') },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');

    const token = String(basic.body.access_token);
    const read = await app.inject({ url: '/fhir/Patient', headers: { authorization: `Bearer ${token}` } });
    expect(read.statusCode).toBe(200);
    const write = await app.inject({
      method: 'POST',
      url: '/fhir/Patient',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      payload: testPatient(),
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().issue[0].details.text).toContain("needs a scope with 'c' for Patient");
  });

  it('client_credentials with private_key_jwt (a key the client generated)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES384');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES384' };
    await auth.clients.save({
      clientId: 'lab-feed',
      jwks: { keys: [jwk] },
      scope: 'system/Observation.cruds',
      grantTypes: ['client_credentials'],
    });
    const assertion = async (aud: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES384', kid: 'k1' })
        .setIssuer('lab-feed')
        .setSubject('lab-feed')
        .setAudience(aud)
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    const form = (jwt: string) => ({
      grant_type: 'client_credentials',
      scope: 'system/Observation.rs system/Patient.rs',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
    });
    const ok = await tokenRequest(form(await assertion(`${authTestOrigin}/auth/token`)));
    expect(ok.status).toBe(200);
    // Only what the client is registered for: Patient is dropped.
    expect(ok.body.scope).toBe('system/Observation.rs');

    const otherKey = await generateKeyPair('ES384');
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES384', kid: 'k1' })
      .setIssuer('lab-feed')
      .setSubject('lab-feed')
      .setAudience(`${authTestOrigin}/auth/token`)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(otherKey.privateKey);
    const refused = await tokenRequest(form(forged));
    expect(refused.status).toBe(401);
  });

  /** Authorization code + PKCE through the sign-in and consent pages; returns the token response. */
  it('a bulk export belongs to the client that started it', async () => {
    const owner = await systemHeaders();
    const kick = await app.inject({
      url: '/fhir/Patient/$export',
      headers: { ...owner, prefer: 'respond-async', accept: 'application/fhir+json' },
    });
    expect(kick.statusCode).toBe(202);
    const status = new URL(String(kick.headers['content-location'])).pathname;
    await auth.clients.bootstrap('other-backend', 'other-backend-secret-0123');
    const other = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'system/*.rs' },
      { authorization: basicAuth('other-backend', 'other-backend-secret-0123') },
    );
    const stranger = await app.inject({
      url: status,
      headers: { authorization: `Bearer ${String(other.body.access_token)}` },
    });
    expect(stranger.statusCode).toBe(403);
    expect((await app.inject({ url: status })).statusCode).toBe(401);
    expect([200, 202]).toContain((await app.inject({ url: status, headers: owner })).statusCode);
  });
});
