import { randomBytes } from 'node:crypto';
import { type Database, testDatabases } from '@hospitium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../secrets/secret-box.js';
import { authenticate } from './login.js';
import { currentTotp } from './totp.js';
import { UserStore } from './user-store.js';

const password = 'correct horse battery';
const policy = { maxFailures: 3, lockMinutes: 15 };

describe.each(testDatabases())('sign-in checks on $name', ({ open }) => {
  let db: Database;
  let users: UserStore;
  beforeAll(async () => {
    db = await open();
    users = new UserStore(db, new SecretBox(randomBytes(32)));
  });
  afterAll(() => db?.close());

  it('stores argon2id hashes, never the password', async () => {
    await users.create({ username: 'Nurse.Ada', password, roles: ['nurse'], fhirUser: 'Practitioner/ada' });
    const row = await db.query<{ password_hash: string }>(
      "SELECT password_hash FROM auth_users WHERE username = 'nurse.ada'",
    );
    expect(row.rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(row.rows[0].password_hash).not.toContain(password);
    expect(await authenticate(users, { username: 'nurse.ada', password }, policy)).toMatchObject({
      ok: true,
    });
  });

  it('locks the account after repeated failures, even for the right password, until unlocked', async () => {
    await users.create({ username: 'clerk', password, roles: ['registrar'] });
    for (let i = 0; i < 3; i++) {
      expect(await authenticate(users, { username: 'clerk', password: 'wrong one!!' }, policy)).toEqual({
        ok: false,
        reason: 'invalid',
      });
    }
    expect(await authenticate(users, { username: 'clerk', password }, policy)).toEqual({
      ok: false,
      reason: 'locked',
    });
    expect((await users.get('clerk')).lockedUntil).toBeDefined();
    await users.unlock('clerk');
    expect(await authenticate(users, { username: 'clerk', password }, policy)).toMatchObject({ ok: true });
    expect((await users.get('clerk')).failedLogins).toBe(0);
  });

  it('an administrator lock holds whatever the password', async () => {
    await users.create({ username: 'leaver', password, roles: ['biller'] });
    await users.lock('leaver');
    expect(await authenticate(users, { username: 'leaver', password }, policy)).toEqual({
      ok: false,
      reason: 'locked',
    });
    await users.setPassword('leaver', 'a brand new password');
    expect(
      await authenticate(users, { username: 'leaver', password: 'a brand new password' }, policy),
    ).toEqual({
      ok: false,
      reason: 'locked',
    });
  });

  it('admin roles need a TOTP code; a wrong code counts as a failure', async () => {
    const { totpUri } = await users.create({ username: 'sysadmin', password, roles: ['it-admin'] });
    expect(totpUri).toMatch(/^otpauth:\/\/totp\/Hospitium:sysadmin\?/);
    const secret = new URL(totpUri ?? '').searchParams.get('secret') ?? '';
    expect(await authenticate(users, { username: 'sysadmin', password }, policy)).toEqual({
      ok: false,
      reason: 'totp-required',
    });
    expect(
      await authenticate(users, { username: 'sysadmin', password, totp: '000000' }, policy),
    ).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/totp-invalid/),
    });
    expect((await users.get('sysadmin')).failedLogins).toBe(1);
    expect(
      await authenticate(users, { username: 'sysadmin', password, totp: currentTotp(secret) }, policy),
    ).toMatchObject({
      ok: true,
    });
  });

  it('gaining an admin role enrols a second factor', async () => {
    await users.create({ username: 'analyst', password, roles: ['nurse'] });
    const { totpUri, user } = await users.setRoles('analyst', ['interface-analyst']);
    expect(user.totpEnrolled).toBe(true);
    expect(totpUri).toBeDefined();
  });

  it('unknown users are refused like wrong passwords; bad input is a 4xx naming the field', async () => {
    expect(await authenticate(users, { username: 'nobody', password }, policy)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    await expect(users.create({ username: 'x', password, roles: ['nurse'] })).rejects.toThrow(/user name/);
    await expect(users.create({ username: 'shorty', password: 'short', roles: ['nurse'] })).rejects.toThrow(
      /12 characters/,
    );
    await expect(users.create({ username: 'chef', password, roles: ['chef'] })).rejects.toThrow(
      /Unknown role/,
    );
    await expect(users.create({ username: 'clerk', password, roles: ['nurse'] })).rejects.toThrow(
      /already exists/,
    );
    await expect(
      users.create({ username: 'pat', password, roles: ['patient'], fhirUser: 'Practitioner/1' }),
    ).rejects.toThrow(/Patient/);
  });

  it('a temporary password lets its holder choose their own for 72 hours, then signs in no one', async () => {
    await users.create({ username: 'temp.nurse', password, roles: ['nurse'] });
    await users.setPassword('temp.nurse', 'temporary horse battery', { temporary: true });
    const attempt = { username: 'temp.nurse', password: 'temporary horse battery' };
    // within the window: it asks for a new password
    expect(await authenticate(users, attempt, policy)).toEqual({
      ok: false,
      reason: 'password-change-required',
    });
    // issued 73 hours ago: refused, and not counted as a failed attempt (the password was right)
    await db.query(
      "UPDATE auth_users SET password_changed_at = now() - interval '73 hours' WHERE username = 'temp.nurse'",
    );
    const expired = { ...attempt, newPassword: 'my own horse battery' };
    expect(await authenticate(users, expired, policy)).toEqual({
      ok: false,
      reason: 'temporary-password-expired',
    });
    expect((await users.credentials('temp.nurse'))?.user.failedLogins).toBe(0);
    // a shorter window set by the site applies too
    await users.setPassword('temp.nurse', 'another temporary one', { temporary: true });
    await db.query(
      "UPDATE auth_users SET password_changed_at = now() - interval '2 hours' WHERE username = 'temp.nurse'",
    );
    const again = {
      username: 'temp.nurse',
      password: 'another temporary one',
      newPassword: 'my own horse battery',
    };
    expect(await authenticate(users, again, { ...policy, temporaryPasswordHours: 1 })).toMatchObject({
      reason: 'temporary-password-expired',
    });
    // under the default 72 hours the same one still works, and choosing one's own ends the temporary state
    expect(await authenticate(users, again, policy)).toMatchObject({ ok: true });
    expect(
      await authenticate(users, { username: 'temp.nurse', password: 'my own horse battery' }, policy),
    ).toMatchObject({
      ok: true,
      user: { passwordMustChange: false },
    });
  });
});
