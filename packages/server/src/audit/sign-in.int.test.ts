import { testDatabases } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEventsDuring } from '../testing/audit-events.js';
import { authTestBaseUrl, authTestOrigin } from '../testing/auth-server.js';
import { basicAuth, OAuthTestClient, pkcePair } from '../testing/oauth-client.js';
import {
  appRedirect,
  type OAuthFixture,
  staffPassword,
  startOAuthFixture,
} from '../testing/oauth-fixture.js';

interface SignInEvent extends Resource {
  type: { code: string };
  subtype: { code: string }[];
  outcome: string;
  outcomeDesc?: string;
  agent: {
    who?: { reference?: string; identifier?: { value?: string } };
    name?: string;
    network?: { address?: string };
  }[];
}

describe.each(testDatabases())('sign-in audit on $name', ({ open }) => {
  let f: OAuthFixture;

  beforeAll(async () => {
    f = await startOAuthFixture(await open());
  });
  afterAll(async () => f?.close());

  /** The authentication AuditEvents (DICOM 110114) stored while `act` ran. */
  function authEventsOf(act: () => Promise<void>): Promise<SignInEvent[]> {
    return auditEventsDuring(f.app, () => f.systemHeaders(), 'type=110114&_count=1000', act);
  }

  async function submitLogin(browser: OAuthTestClient, form: Record<string, string>) {
    const { challenge } = pkcePair();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'chart-app',
      redirect_uri: appRedirect,
      scope: 'openid fhirUser user/*.rs',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      aud: authTestBaseUrl,
    });
    const page = await browser.follow(await browser.get(`/auth/authorize?${query}`), authTestOrigin);
    const action = /action="([^"]+\/login)"/.exec(page.text)?.[1] ?? '';
    return browser.postForm(action, form);
  }

  it('a failed sign-in records Login with outcome 4, the name tried, never the password', async () => {
    const browser = new OAuthTestClient(f.app);
    const events = await authEventsOf(async () => {
      const res = await submitLogin(browser, { username: 'dr.house', password: 'not-the-password' });
      expect(res.status).toBe(401);
    });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event.subtype[0].code).toBe('110122');
    expect(event.outcome).toBe('4');
    expect(event.outcomeDesc).toContain('invalid');
    expect(event.agent[0].name).toBe('dr.house');
    expect(event.agent[0].network?.address).toBe('127.0.0.1');
    expect(JSON.stringify(event)).not.toContain('not-the-password');
  });

  it.each([
    ['a locked account', 'clerk.locked', 'locked'],
    ['a missing authenticator code', 'admin.totp', 'totp-required'],
  ])('%s records a failed Login naming the reason', async (_name, username, reason) => {
    if (username === 'clerk.locked') {
      await f.auth.users.create({ username, password: staffPassword, roles: ['registrar'] });
      await f.auth.users.lock(username);
    } else {
      await f.auth.users.create({ username, password: staffPassword, roles: ['it-admin'] });
    }
    const events = await authEventsOf(async () => {
      const res = await submitLogin(new OAuthTestClient(f.app), { username, password: staffPassword });
      expect(res.status).toBe(401);
    });
    expect(events.map((e) => [e.subtype[0].code, e.outcome, e.agent[0].name])).toEqual([
      ['110122', '4', username],
    ]);
    expect(events[0].outcomeDesc).toContain(reason);
  });

  it('a sign-in records Login with outcome 0 and the user; signing out records Logout', async () => {
    const browser = new OAuthTestClient(f.app);
    const login = await authEventsOf(async () => {
      const res = await submitLogin(browser, { username: 'dr.house', password: staffPassword });
      expect(res.status).toBe(303);
      // the authorization request resumes and the provider's session is stored (consent page next)
      expect((await browser.follow(res, authTestOrigin)).text).toContain('Allow access?');
    });
    expect(login.map((e) => [e.type.code, e.subtype[0].code, e.outcome])).toEqual([
      ['110114', '110122', '0'],
    ]);
    expect(login[0].agent[0].who?.reference).toBe('Practitioner/p1');
    expect(login[0].agent[1].who?.identifier?.value).toBe('chart-app');

    const logout = await authEventsOf(async () => {
      const page = await browser.get('/auth/logout');
      expect(page.status).toBe(200);
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const done = await browser.postForm('/auth/logout/confirm', { xsrf, logout: 'yes' });
      expect(done.status).toBeLessThan(400);
    });
    expect(logout.map((e) => [e.subtype[0].code, e.outcome])).toEqual([['110123', '0']]);
    expect(logout[0].agent[0].who?.reference).toBe('Practitioner/p1');
  });

  it('a backend client refused a token records a failed Login of the client', async () => {
    const events = await authEventsOf(async () => {
      const res = await f.tokenRequest(
        { grant_type: 'client_credentials', scope: 'system/*.*' },
        { authorization: basicAuth('backend', 'wrong-secret-0123456789') },
      );
      expect(res.status).toBe(401);
    });
    expect(events.map((e) => [e.subtype[0].code, e.outcome])).toEqual([['110122', '4']]);
    expect(events[0].agent[0].name).toBe('backend');
  });
});
