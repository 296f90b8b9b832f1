import { type Database, testDatabases } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authTestBaseUrl, authTestOrigin } from '../../testing/auth-server.js';
import { OAuthTestClient, pkcePair } from '../../testing/oauth-client.js';
import {
  appRedirect,
  type OAuthFixture,
  staffPassword,
  startOAuthFixture,
} from '../../testing/oauth-fixture.js';
import { serverSignedToken } from '../../testing/server-token.js';
import { authenticate } from './login.js';

interface AccountEvent {
  id: string;
  type: { code: string };
  subtype: { system: string; code: string }[];
  action: string;
  outcome: string;
  outcomeDesc?: string;
  agent: { who?: { reference?: string; identifier?: { value: string } }; altId?: string }[];
  entity: { name: string; detail: { type: string; valueString: string }[] }[];
}

const policy = { maxFailures: 3, lockMinutes: 15 };

/** `/auth/users`: who may call it, what it refuses, what it changes, and what it records. */
describe.each(testDatabases())('user administration API on $name', ({ open }) => {
  let f: OAuthFixture;
  let db: Database;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let adminId: string;

  beforeAll(async () => {
    db = await open();
    f = await startOAuthFixture(db);
    app = f.app;
    const admin = await f.auth.users.create({
      username: 'it.boss',
      password: staffPassword,
      roles: ['it-admin'],
      fhirUser: 'Practitioner/it1',
    });
    adminId = admin.user.id;
    const nurse = await f.auth.users.create({
      username: 'nurse.kim',
      password: staffPassword,
      roles: ['nurse'],
    });
    const analyst = await f.auth.users.create({
      username: 'analyst.lee',
      password: staffPassword,
      roles: ['interface-analyst'],
    });
    const sign = (sub: string, roles: string[], scope = 'openid user/*.rs') =>
      serverSignedToken(db, authTestBaseUrl, { sub, scope, roles });
    tokens.admin = await serverSignedToken(db, authTestBaseUrl, {
      sub: adminId,
      scope: 'openid fhirUser user/*.cruds',
      roles: ['it-admin'],
      fhirUser: 'Practitioner/it1',
    });
    tokens.nurse = await sign(nurse.user.id, ['nurse']);
    tokens.analyst = await sign(analyst.user.id, ['interface-analyst']);
    tokens.client = (await f.systemHeaders()).authorization.slice('Bearer '.length);
    // The administrator through an app that asked only for one patient's record.
    tokens.adminPatientApp = await serverSignedToken(db, authTestBaseUrl, {
      sub: adminId,
      scope: 'openid launch/patient patient/*.rs',
      roles: ['it-admin'],
    });
  });
  afterAll(async () => f?.close());

  async function call(
    who: string | undefined,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: unknown,
  ) {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
  }

  /** The account AuditEvents (110136 / 110137) stored while `act` ran, oldest first. */
  async function accountEventsOf(act: () => Promise<void>): Promise<AccountEvent[]> {
    const search = async () => {
      const res = await app.inject({
        url: '/fhir/AuditEvent?type=110136,110137,110113&_count=1000&_sort=date',
        headers: await f.systemHeaders(),
      });
      return ((res.json() as { entry?: { resource: AccountEvent }[] }).entry ?? []).map((e) => e.resource);
    };
    const before = new Set((await search()).map((e) => e.id));
    await act();
    return (await search()).filter((e) => !before.has(e.id));
  }

  it.each([
    ['GET', '/auth/users', undefined],
    ['POST', '/auth/users', { username: 'matrix.new', roles: ['coder'] }],
    ['GET', '/auth/users/nurse.kim', undefined],
    ['PATCH', '/auth/users/nurse.kim', { displayName: 'Kim' }],
    ['POST', '/auth/users/nurse.kim/$reset-password', undefined],
    ['POST', '/auth/users/nurse.kim/$unlock', undefined],
    ['POST', '/auth/users/nurse.kim/$lock', undefined],
    ['POST', '/auth/users/analyst.lee/$reset-totp', undefined],
  ] as const)('%s %s: only an it-admin user; others 403, no token 401', async (method, url, body) => {
    expect((await call(undefined, method, url, body)).status).toBe(401);
    for (const who of ['nurse', 'analyst', 'client', 'adminPatientApp']) {
      const refused = await call(who, method, url, body);
      expect(refused.status, who).toBe(403);
      expect(refused.body.resourceType).toBe('OperationOutcome');
    }
    const allowed = await call('admin', method, url, body);
    expect(allowed.status).toBe(method === 'POST' && url === '/auth/users' ? 201 : 200);
    if (url.endsWith('$lock')) await call('admin', 'POST', '/auth/users/nurse.kim/$unlock');
  });

  it('a refused call is audited with outcome 4 and the caller; nothing changes', async () => {
    const events = await accountEventsOf(async () => {
      expect((await call('nurse', 'PATCH', '/auth/users/nurse.kim', { roles: ['it-admin'] })).status).toBe(
        403,
      );
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: '4', action: 'U', type: { code: '110137' } });
    expect(events[0].outcomeDesc).toContain('it-admin');
    expect(events[0].entity[0].name).toBe('nurse.kim');
    expect((await f.auth.users.get('nurse.kim')).roles).toEqual(['nurse']);
    // Looking is not a change: an administrator's reads are not recorded, a refused look is an alert.
    const looks = await accountEventsOf(async () => {
      expect((await call('admin', 'GET', '/auth/users')).status).toBe(200);
      expect((await call('analyst', 'GET', '/auth/users')).status).toBe(403);
      expect((await call('client', 'GET', '/auth/users/it.boss')).status).toBe(403);
    });
    expect(
      looks
        .map((e) => [e.type.code, e.subtype[0].code, e.action, e.outcome, e.entity[0].name].join(' '))
        .sort(),
    ).toEqual(['110113 list E 4 (all accounts)', '110113 read R 4 it.boss']);
  });

  it('a call without a token is a Security Alert naming the method and path, never the query', async () => {
    const alerts = async () =>
      (
        (
          await app.inject({
            url: '/fhir/AuditEvent?type=110113&_count=1000',
            headers: await f.systemHeaders(),
          })
        ).json() as {
          entry?: { resource: AccountEvent & { entity: { what?: { identifier?: { value: string } } }[] } }[];
        }
      ).entry?.map((e) => e.resource) ?? [];
    const before = new Set((await alerts()).map((e) => e.id));
    const res = await app.inject({
      url: '/auth/users/nurse.kim?token=s3cr3t',
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.statusCode).toBe(401);
    const added = (await alerts()).filter((e) => !before.has(e.id));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ outcome: '4', subtype: [{ code: 'unauthenticated' }] });
    expect(added[0].entity[0].what?.identifier?.value).toBe('GET /auth/users/nurse.kim');
    expect(JSON.stringify(added[0])).not.toContain('s3cr3t');
  });

  it('creates an account with a temporary password that must be changed at the first sign-in', async () => {
    let temporary = '';
    const events = await accountEventsOf(async () => {
      const created = await call('admin', 'POST', '/auth/users', {
        username: 'Reg.Ana',
        roles: ['registrar'],
        displayName: 'Ana Registrar',
      });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe('/auth/users/reg.ana');
      expect(created.body).toMatchObject({
        username: 'reg.ana',
        roles: ['registrar'],
        displayName: 'Ana Registrar',
        active: true,
        passwordMustChange: true,
      });
      temporary = String(created.body.temporaryPassword);
      expect(temporary.length).toBeGreaterThanOrEqual(12);
      expect(await authenticate(f.auth.users, { username: 'reg.ana', password: temporary }, policy)).toEqual({
        ok: false,
        reason: 'password-change-required',
      });
      expect(
        await authenticate(
          f.auth.users,
          { username: 'reg.ana', password: temporary, newPassword: 'short' },
          policy,
        ),
      ).toMatchObject({ ok: false, problem: expect.stringMatching(/12 characters/) });
      expect(
        await authenticate(
          f.auth.users,
          { username: 'reg.ana', password: temporary, newPassword: 'my own long password' },
          policy,
        ),
      ).toMatchObject({ ok: true, user: { passwordMustChange: false } });
      expect(
        await authenticate(f.auth.users, { username: 'reg.ana', password: 'my own long password' }, policy),
      ).toMatchObject({ ok: true });
      // Listed without any secret.
      const listed = await call('admin', 'GET', '/auth/users');
      const row = (listed.body.users as Record<string, unknown>[]).find((u) => u.username === 'reg.ana');
      expect(row).toMatchObject({ username: 'reg.ana', passwordMustChange: false });
      expect(JSON.stringify(listed.body)).not.toContain(temporary);
    });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ outcome: '0', action: 'C', type: { code: '110136' } });
    expect(event.subtype[0]).toMatchObject({ system: 'urn:hospitium:account-change', code: 'create' });
    expect(event.agent[0].who?.reference).toBe('Practitioner/it1');
    expect(event.agent[0].altId).toBe(adminId);
    expect(event.entity[0].detail).toContainEqual({ type: 'roles', valueString: 'registrar' });
    expect(JSON.stringify(event)).not.toContain(temporary);
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const cases: [string, 'POST' | 'PATCH', string, unknown, RegExp][] = [
      ['no user name', 'POST', '/auth/users', { roles: ['nurse'] }, /username is required/],
      ['unknown role', 'POST', '/auth/users', { username: 'x.y', roles: ['chef'] }, /Unknown role/],
      ['roles not a list', 'POST', '/auth/users', { username: 'x.y', roles: 'nurse' }, /array/],
      [
        'weak password',
        'POST',
        '/auth/users',
        { username: 'x.y', roles: ['nurse'], password: 'short' },
        /12/,
      ],
      ['unknown field', 'POST', '/auth/users', { username: 'x.y', roles: [], admin: true }, /Unknown field/],
      ['not an object', 'POST', '/auth/users', ['x.y'], /JSON object/],
      ['bad user name', 'POST', '/auth/users', { username: 'A B', roles: [] }, /user name/],
      ['taken', 'POST', '/auth/users', { username: 'nurse.kim', roles: ['nurse'] }, /already exists/],
      ['active not boolean', 'PATCH', '/auth/users/nurse.kim', { active: 'no' }, /active/],
      ['empty patch', 'PATCH', '/auth/users/nurse.kim', {}, /Nothing to change/],
      ['bad link', 'PATCH', '/auth/users/nurse.kim', { fhirUser: 'Observation/1' }, /fhirUser/],
      [
        'patient role, staff link',
        'PATCH',
        '/auth/users/nurse.kim',
        { roles: ['patient'], fhirUser: 'Practitioner/9' },
        /Patient/,
      ],
      ['control characters', 'PATCH', '/auth/users/nurse.kim', { displayName: 'a\u0007b' }, /displayName/],
      ['unknown user', 'PATCH', '/auth/users/nobody.here', { active: false }, /No user named/],
    ];
    for (const [name, method, url, body, message] of cases) {
      const res = await call('admin', method, url, body);
      expect(res.status, name).toBe(name === 'taken' ? 409 : name === 'unknown user' ? 404 : 400);
      expect(res.body.resourceType, name).toBe('OperationOutcome');
      expect(JSON.stringify(res.body), name).toMatch(message);
    }
    expect(await f.auth.users.get('nurse.kim')).toMatchObject({ roles: ['nurse'], active: true });
    expect(await f.auth.users.exists('x.y')).toBe(false);
    const badReset = await call('admin', 'POST', '/auth/users/nurse.kim/$reset-password', {
      password: 'nurse.kim-123456',
    });
    expect(badReset.status).toBe(400);
    expect(JSON.stringify(badReset.body)).toMatch(/user name/);
  });

  it('lockout after failures is lifted by $unlock; $lock holds until unlocked', async () => {
    await call('admin', 'POST', '/auth/users', {
      username: 'clerk.two',
      roles: ['biller'],
      password: staffPassword,
    });
    for (let i = 0; i < policy.maxFailures; i++) {
      await authenticate(f.auth.users, { username: 'clerk.two', password: 'wrong password!' }, policy);
    }
    const locked = await call('admin', 'GET', '/auth/users/clerk.two');
    expect(locked.body.lockedUntil).toBeDefined();
    expect(locked.body.failedLogins).toBe(3);
    expect(
      await authenticate(f.auth.users, { username: 'clerk.two', password: staffPassword }, policy),
    ).toEqual({
      ok: false,
      reason: 'locked',
    });
    const events = await accountEventsOf(async () => {
      const unlocked = await call('admin', 'POST', '/auth/users/clerk.two/$unlock');
      expect(unlocked.status).toBe(200);
      expect(unlocked.body.lockedUntil).toBeUndefined();
      expect(unlocked.body.failedLogins).toBe(0);
    });
    expect(events.map((e) => [e.type.code, e.subtype[0].code, e.outcome])).toEqual([
      ['110137', 'unlock', '0'],
    ]);
    expect(
      await authenticate(f.auth.users, { username: 'clerk.two', password: staffPassword }, policy),
    ).toMatchObject({
      ok: true,
    });
    expect((await call('admin', 'POST', '/auth/users/clerk.two/$lock')).body.lockedByAdmin).toBe(true);
    expect(
      await authenticate(f.auth.users, { username: 'clerk.two', password: staffPassword }, policy),
    ).toEqual({
      ok: false,
      reason: 'locked',
    });
    await call('admin', 'POST', '/auth/users/clerk.two/$unlock');
  });

  it('deactivation stops sign-in and survives $unlock; roles, link and name change in one PATCH', async () => {
    await call('admin', 'POST', '/auth/users', {
      username: 'leaver.one',
      roles: ['coder'],
      password: staffPassword,
    });
    const events = await accountEventsOf(async () => {
      const off = await call('admin', 'PATCH', '/auth/users/leaver.one', { active: false });
      expect(off.body.active).toBe(false);
      expect(
        await authenticate(f.auth.users, { username: 'leaver.one', password: staffPassword }, policy),
      ).toEqual({
        ok: false,
        reason: 'inactive',
      });
      await call('admin', 'POST', '/auth/users/leaver.one/$unlock');
      expect(
        (await authenticate(f.auth.users, { username: 'leaver.one', password: staffPassword }, policy)).ok,
      ).toBe(false);
      const back = await call('admin', 'PATCH', '/auth/users/leaver.one', {
        active: true,
        roles: ['physician'],
        fhirUser: 'Practitioner/p9',
        displayName: 'Dr One',
      });
      expect(back.body).toMatchObject({
        active: true,
        roles: ['physician'],
        fhirUser: 'Practitioner/p9',
        displayName: 'Dr One',
      });
      const cleared = await call('admin', 'PATCH', '/auth/users/leaver.one', {
        displayName: null,
        fhirUser: null,
      });
      expect(cleared.body.displayName).toBeUndefined();
      expect(cleared.body.fhirUser).toBeUndefined();
    });
    // Compared as a set: events recorded within the same millisecond have no order.
    expect(events.map((e) => `${e.type.code} ${e.subtype[0].code}`).sort()).toEqual([
      '110136 update',
      '110137 unlock',
      '110137 update',
      '110137 update',
    ]);
    const rolesEvent = events.find((e) => e.type.code === '110136');
    expect(rolesEvent?.entity[0].detail).toContainEqual({ type: 'roles', valueString: 'physician' });
  });

  it('$reset-password sets a given password under the policy; $reset-totp issues a new authenticator secret', async () => {
    const set = await call('admin', 'POST', '/auth/users/nurse.kim/$reset-password', {
      password: 'a fresh long password',
    });
    expect(set.status).toBe(200);
    expect(set.body.temporaryPassword).toBeUndefined();
    expect(set.body.passwordMustChange).toBe(false);
    expect(
      await authenticate(f.auth.users, { username: 'nurse.kim', password: 'a fresh long password' }, policy),
    ).toMatchObject({ ok: true });
    const totp = await call('admin', 'POST', '/auth/users/analyst.lee/$reset-totp');
    expect(String(totp.body.totpUri)).toMatch(/^otpauth:\/\/totp\/Hospitium:analyst\.lee\?/);
    const again = await call('admin', 'GET', '/auth/users/analyst.lee');
    expect(again.body.totpUri).toBeUndefined();
    expect(again.body.totpEnrolled).toBe(true);
    expect((await call('admin', 'POST', '/auth/users/nobody.here/$unlock')).status).toBe(404);
  });

  it('the sign-in page makes a temporary password holder choose a new password before signing in', async () => {
    const created = await call('admin', 'POST', '/auth/users', { username: 'temp.tom', roles: ['coder'] });
    const temporary = String(created.body.temporaryPassword);
    const browser = new OAuthTestClient(app);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'chart-app',
      redirect_uri: appRedirect,
      scope: 'openid fhirUser user/*.rs',
      state: 's',
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      aud: authTestBaseUrl,
    });
    const page = await browser.follow(await browser.get(`/auth/authorize?${query}`), authTestOrigin);
    const action = /action="([^"]+\/login)"/.exec(page.text)?.[1] ?? '';
    const first = await browser.postForm(action, { username: 'temp.tom', password: temporary });
    expect(first.status).toBe(401);
    expect(first.text).toContain('choose a new password');
    expect(first.text).toContain('<label for="new_password">New password</label>');
    const mismatch = await browser.postForm(action, {
      username: 'temp.tom',
      password: temporary,
      new_password: 'my chosen password',
      new_password_confirm: 'my chosen passw0rd',
    });
    expect(mismatch.status).toBe(401);
    const weak = await browser.postForm(action, {
      username: 'temp.tom',
      password: temporary,
      new_password: 'temp.tom.pass!',
      new_password_confirm: 'temp.tom.pass!',
    });
    expect(weak.status).toBe(401);
    expect(weak.text).toContain('must not contain the user name');
    const done = await browser.postForm(action, {
      username: 'temp.tom',
      password: temporary,
      new_password: 'my chosen password',
      new_password_confirm: 'my chosen password',
    });
    expect(done.status).toBe(303);
    expect(await authenticate(f.auth.users, { username: 'temp.tom', password: temporary }, policy)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect((await f.auth.users.get('temp.tom')).passwordMustChange).toBe(false);
  });
});
