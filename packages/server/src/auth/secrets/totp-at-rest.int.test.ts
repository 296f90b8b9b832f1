import { randomBytes } from 'node:crypto';
import { type Database, testDatabases } from '@hospitium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../users/login.js';
import { currentTotp } from '../users/totp.js';
import { UserStore } from '../users/user-store.js';
import { SecretBox } from './secret-box.js';

const password = 'correct horse battery';

describe.each(testDatabases())('TOTP secrets encrypted at rest on $name', ({ open }) => {
  let db: Database;
  const key = new SecretBox(randomBytes(32));
  let users: UserStore;
  beforeAll(async () => {
    db = await open();
    users = new UserStore(db, key);
  });
  afterAll(() => db?.close());

  const stored = async (username: string) =>
    (
      await db.query<{ totp_secret: string }>('SELECT totp_secret FROM auth_users WHERE username = $1', [
        username,
      ])
    ).rows[0].totp_secret;
  const secretOf = (uri: string | undefined) => new URL(uri ?? '').searchParams.get('secret') ?? '';

  it('the column never holds the secret in clear; sign-in with the code still works', async () => {
    const { totpUri } = await users.create({ username: 'sec.admin', password, roles: ['it-admin'] });
    const secret = secretOf(totpUri);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const column = await stored('sec.admin');
    expect(column).toMatch(/^v1:/);
    expect(column).not.toContain(secret);
    expect(
      await authenticate(users, { username: 'sec.admin', password, totp: currentTotp(secret) }),
    ).toMatchObject({ ok: true });

    // Enrolment by a role change and a reset are sealed too.
    await users.create({ username: 'sec.nurse', password, roles: ['nurse'] });
    const promoted = await users.setRoles('sec.nurse', ['interface-analyst']);
    expect(await stored('sec.nurse')).not.toContain(secretOf(promoted.totpUri));
    const reset = await users.resetTotp('sec.nurse');
    expect(await stored('sec.nurse')).toMatch(/^v1:/);
    expect(await stored('sec.nurse')).not.toContain(secretOf(reset));
  });

  it('secrets left in clear by an older version are encrypted on start, once', async () => {
    const { totpUri } = await users.create({ username: 'old.admin', password, roles: ['it-admin'] });
    const secret = secretOf(totpUri);
    await db.query('UPDATE auth_users SET totp_secret = $1 WHERE username = $2', [secret, 'old.admin']);
    expect(await users.prepareSecrets()).toMatchObject({ sealed: 1 });
    expect(await stored('old.admin')).toMatch(/^v1:/);
    expect(await users.prepareSecrets()).toMatchObject({ sealed: 0 });
    expect(
      await authenticate(users, { username: 'old.admin', password, totp: currentTotp(secret) }),
    ).toMatchObject({ ok: true });
  });

  it('a wrong key or no key is a clear error at start and at sign-in, never a crash or a bypass', async () => {
    const wrong = new UserStore(db, new SecretBox(randomBytes(32)));
    await expect(wrong.prepareSecrets()).rejects.toThrow(/does not decrypt with the configured secret key/);
    await expect(
      authenticate(wrong, { username: 'sec.admin', password, totp: '123456' }),
    ).rejects.toMatchObject({
      status: 500,
      message: expect.stringMatching(/not the key the secrets were encrypted with/),
    });
    const none = new UserStore(db);
    await expect(none.prepareSecrets()).rejects.toThrow(
      /account\(s\) have a TOTP second factor.*HOSPITIUM_SECRET_KEY/,
    );
    await expect(none.create({ username: 'new.admin', password, roles: ['it-admin'] })).rejects.toThrow(
      /HOSPITIUM_SECRET_KEY/,
    );
    // Accounts without a second factor still work without a key.
    await none.create({ username: 'plain.clerk', password, roles: ['registrar'] });
    expect(await authenticate(none, { username: 'plain.clerk', password })).toMatchObject({ ok: true });
  });
});
