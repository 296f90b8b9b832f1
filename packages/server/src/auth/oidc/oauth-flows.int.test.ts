import { testDatabases } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authTestBaseUrl, authTestOrigin } from '../../testing/auth-server.js';
import { OAuthTestClient, pkcePair, type WebResponse } from '../../testing/oauth-client.js';
import {
  appRedirect,
  type OAuthFixture,
  staffPassword as password,
  startOAuthFixture,
} from '../../testing/oauth-fixture.js';

/** Authorization code + PKCE through the sign-in and consent pages, refresh, introspection, revocation, launch. */
describe.each(testDatabases())('OAuth 2 / SMART sign-in flows on $name', ({ open }) => {
  let f: OAuthFixture;
  let app: FastifyInstance;
  let patientId: string;
  let otherPatientId: string;

  beforeAll(async () => {
    f = await startOAuthFixture(await open());
    ({ app, patientId, otherPatientId } = f);
  });
  afterAll(async () => f?.close());

  async function signIn(
    browser: OAuthTestClient,
    scope: string,
    choose: { patient?: string; totp?: string; password?: string; username?: string } = {},
  ): Promise<{ token: WebResponse; verifier: string; consentPage: WebResponse }> {
    const { verifier, challenge } = pkcePair();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'chart-app',
      redirect_uri: appRedirect,
      scope,
      state: 'st4te',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      aud: authTestBaseUrl,
    });
    const loginPage = await browser.follow(await browser.get(`/auth/authorize?${query}`), authTestOrigin);
    expect(loginPage.status).toBe(200);
    expect(loginPage.text).toContain('<label for="username">User name</label>');
    expect(loginPage.headers['content-security-policy']).toContain("default-src 'none'");
    expect(loginPage.headers['content-security-policy']).toContain('form-action');
    const loginAction = /action="([^"]+\/login)"/.exec(loginPage.text)?.[1] ?? '';
    const afterLogin = await browser.postForm(loginAction, {
      username: choose.username ?? 'dr.house',
      password: choose.password ?? password,
    });
    expect(afterLogin.status).toBe(303);
    const consentPage = await browser.follow(afterLogin, authTestOrigin);
    expect(consentPage.status).toBe(200);
    expect(consentPage.text).toContain('Allow access?');
    const confirm = /action="([^"]+\/confirm)"/.exec(consentPage.text)?.[1] ?? '';
    const done = await browser.follow(
      await browser.postForm(confirm, choose.patient ? { patient: choose.patient } : {}),
      authTestOrigin,
    );
    expect(done.location?.origin).toBe('http://app.test');
    expect(done.location?.searchParams.get('state')).toBe('st4te');
    const code = done.location?.searchParams.get('code') ?? '';
    const tokenRes = await browser.postForm('/auth/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: appRedirect,
      code_verifier: verifier,
      client_id: 'chart-app',
    });
    return { token: tokenRes, verifier, consentPage };
  }

  it('authorization code + PKCE: sign-in, consent with a patient, code exchange, the token reaches only that patient', async () => {
    const browser = new OAuthTestClient(app);
    const { token, consentPage } = await signIn(
      browser,
      'openid fhirUser launch/patient offline_access patient/*.rs',
      {
        patient: patientId,
      },
    );
    expect(consentPage.text).toContain('<label for="patient">Patient id</label>');
    expect(token.status).toBe(200);
    expect(token.json.patient).toBe(patientId);
    expect(token.json.scope).toContain('patient/*.rs');
    expect(typeof token.json.refresh_token).toBe('string');
    expect(typeof token.json.id_token).toBe('string');
    const bearer = { authorization: `Bearer ${String(token.json.access_token)}` };

    expect((await app.inject({ url: `/fhir/Patient/${patientId}`, headers: bearer })).statusCode).toBe(200);
    expect(
      (await app.inject({ url: `/fhir/Patient/${patientId}/Observation`, headers: bearer })).statusCode,
    ).toBe(200);
    const other = await app.inject({ url: `/fhir/Patient/${otherPatientId}`, headers: bearer });
    expect(other.statusCode).toBe(403);
    const everyone = await app.inject({ url: '/fhir/Observation', headers: bearer });
    expect(everyone.statusCode).toBe(403);
    const include = await app.inject({
      url: `/fhir/Patient/${patientId}/Observation?_include=Observation:performer`,
      headers: bearer,
    });
    expect(include.statusCode).toBe(403);
  });

  it('refresh, introspection and revocation of the refresh token', async () => {
    const browser = new OAuthTestClient(app);
    const { token } = await signIn(browser, 'launch/patient offline_access patient/*.rs', {
      patient: patientId,
    });
    const refreshToken = String(token.json.refresh_token);
    const refreshed = await browser.postForm('/auth/token', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'chart-app',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.patient).toBe(patientId);
    const rotated = String(refreshed.json.refresh_token);
    expect(rotated).not.toBe(refreshToken);
    const access = String(refreshed.json.access_token);
    expect(
      (
        await app.inject({
          url: `/fhir/Patient/${patientId}`,
          headers: { authorization: `Bearer ${access}` },
        })
      ).statusCode,
    ).toBe(200);

    const introspect = (tokenValue: string) =>
      browser.postForm('/auth/introspect', { token: tokenValue, client_id: 'chart-app' });
    expect((await introspect(rotated)).json.active).toBe(true);
    const accessInfo = await introspect(access);
    expect(accessInfo.json).toMatchObject({ active: true, patient: patientId, client_id: 'chart-app' });

    expect((await browser.postForm('/auth/revoke', { token: rotated, client_id: 'chart-app' })).status).toBe(
      200,
    );
    expect((await introspect(rotated)).json.active).toBe(false);
    const again = await browser.postForm('/auth/token', {
      grant_type: 'refresh_token',
      refresh_token: rotated,
      client_id: 'chart-app',
    });
    expect(again.status).toBe(400);
    expect(again.json.error).toBe('invalid_grant');

    // A revoked access token is refused at once.
    expect((await browser.postForm('/auth/revoke', { token: access, client_id: 'chart-app' })).status).toBe(
      200,
    );
    const afterRevoke = await app.inject({
      url: `/fhir/Patient/${patientId}`,
      headers: { authorization: `Bearer ${access}` },
    });
    expect(afterRevoke.statusCode).toBe(401);
    expect((await introspect(access)).json.active).toBe(false);
  });

  it('a wrong password re-shows the form with an alert; the code exchange needs the PKCE verifier', async () => {
    const browser = new OAuthTestClient(app);
    const { challenge } = pkcePair();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'chart-app',
      redirect_uri: appRedirect,
      scope: 'patient/*.rs',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const page = await browser.follow(await browser.get(`/auth/authorize?${query}`), authTestOrigin);
    const action = /action="([^"]+\/login)"/.exec(page.text)?.[1] ?? '';
    const wrong = await browser.postForm(action, { username: 'dr.house', password: 'wrong-password-123' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('role="alert"');
    expect(wrong.text).toContain('not right');

    const noPkce = await browser.get(
      `/auth/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'chart-app', redirect_uri: appRedirect, scope: 'patient/*.rs' })}`,
    );
    expect(noPkce.location?.searchParams.get('error')).toBe('invalid_request');
  });

  it('EHR launch: the launch parameter carries the patient into the token', async () => {
    const browser = new OAuthTestClient(app);
    // The EHR (signed in as a user with user/ scopes) registers the launch.
    const ehr = await signIn(new OAuthTestClient(app), 'user/*.rs', {});
    const launch = await app.inject({
      method: 'POST',
      url: '/auth/launch',
      headers: {
        authorization: `Bearer ${String(ehr.token.json.access_token)}`,
        'content-type': 'application/json',
      },
      payload: { patient: patientId },
    });
    expect(launch.statusCode).toBe(201);
    const launchId = launch.json().launch as string;

    const { verifier, challenge } = pkcePair();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'chart-app',
      redirect_uri: appRedirect,
      scope: 'launch patient/*.rs',
      launch: launchId,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      aud: authTestBaseUrl,
    });
    const page = await browser.follow(await browser.get(`/auth/authorize?${query}`), authTestOrigin);
    const action = /action="([^"]+\/login)"/.exec(page.text)?.[1] ?? '';
    const consent = await browser.follow(
      await browser.postForm(action, { username: 'dr.house', password }),
      authTestOrigin,
    );
    expect(consent.text).not.toContain('Patient id');
    const confirm = /action="([^"]+\/confirm)"/.exec(consent.text)?.[1] ?? '';
    const done = await browser.follow(await browser.postForm(confirm, {}), authTestOrigin);
    const token = await browser.postForm('/auth/token', {
      grant_type: 'authorization_code',
      code: done.location?.searchParams.get('code') ?? '',
      redirect_uri: appRedirect,
      code_verifier: verifier,
      client_id: 'chart-app',
    });
    expect(token.json.patient).toBe(patientId);

    const unknown = await browser.get(
      `/auth/authorize?${new URLSearchParams({ ...Object.fromEntries(query), launch: 'nope' })}`,
    );
    expect(unknown.location?.searchParams.get('error')).toBe('invalid_request');
  });

  it('an aud other than this FHIR server is refused', async () => {
    const browser = new OAuthTestClient(app);
    const { challenge } = pkcePair();
    const res = await browser.get(
      `/auth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: 'chart-app',
        redirect_uri: appRedirect,
        scope: 'patient/*.rs',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        aud: 'https://evil.example/fhir',
      })}`,
    );
    expect(res.location?.searchParams.get('error')).toBe('invalid_request');
    expect(res.location?.searchParams.get('error_description')).toContain('aud');
  });
});
