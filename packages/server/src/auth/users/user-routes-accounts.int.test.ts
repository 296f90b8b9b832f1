/** `/auth/users`: what it changes (create, lock, deactivate, reset) and the first sign-in it forces. */
import { testDatabases } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { authTestBaseUrl, authTestOrigin } from '../../testing/auth-server.js';
import { OAuthTestClient, pkcePair } from '../../testing/oauth-client.js';
import { appRedirect, type OAuthFixture, staffPassword } from '../../testing/oauth-fixture.js';
import { policy, userAdminHarness } from '../../testing/user-admin-harness.js';
import { authenticate } from './login.js';

describe.each(testDatabases())('user administration API (account changes) on $name', ({ open }) => {
  let f: OAuthFixture, app: FastifyInstance, adminId: string;
  const { call, accountEventsOf } = userAdminHarness(open, (started) => ({ f, app, adminId } = started));

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
