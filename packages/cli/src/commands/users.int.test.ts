import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepository, migrate, openDatabase } from '@hospitium/db';
import { loadSecretKey, UserStore } from '@hospitium/server';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import { usersCommand } from './users.js';

/** `hospitium users` shares the `/auth/users` code path: the same rules, the same AuditEvents. */
describe('hospitium users (embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hospitium-users-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({ flags: { data: join(dir, 'data') }, env: {}, cwd: dir });

  async function run(...args: string[]): Promise<string> {
    let printed = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed += String(chunk);
      return true;
    });
    try {
      await usersCommand(config, args, {});
    } finally {
      out.mockRestore();
    }
    return printed;
  }

  it('changes accounts through the audited path, encrypting TOTP secrets with the data directory key', async () => {
    const seed = await openDatabase({ dataDir: config.dataDir });
    try {
      await migrate(seed);
      const key = loadSecretKey({ dataDir: config.dataDir });
      await new UserStore(seed, key?.box).create({
        username: 'ward.clerk',
        password: 'a long enough password',
        roles: ['registrar'],
      });
    } finally {
      await seed.close();
    }

    expect(await run('roles', 'ward.clerk', 'it-admin')).toMatch(/otpauth:\/\/totp\/Hospitium:ward\.clerk/);
    const reset = await run('reset-password', 'ward.clerk');
    const temporary = /Temporary password[^\n]*\n\s+(\S+)/.exec(reset)?.[1] ?? '';
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await expect(run('roles', 'ward.clerk', 'chef')).rejects.toThrow(/Unknown role/);

    const db = await openDatabase({ dataDir: config.dataDir });
    try {
      const stored = await db.query<{ totp_secret: string; active: boolean; password_must_change: boolean }>(
        "SELECT totp_secret, active, password_must_change FROM auth_users WHERE username = 'ward.clerk'",
      );
      expect(stored.rows[0]).toMatchObject({ active: true, password_must_change: true });
      expect(stored.rows[0].totp_secret).toMatch(/^v1:/);
      const events = (
        await createRepository(db).search({
          resourceType: 'AuditEvent',
          filters: [{ code: 'type', values: ['110136', '110137'] }],
        })
      ).resources as unknown as {
        type: { code: string };
        subtype: { code: string }[];
        outcome: string;
        agent: { who?: { identifier?: { value: string } } }[];
      }[];
      expect(events.map((e) => `${e.type.code} ${e.subtype[0].code} ${e.outcome}`).sort()).toEqual([
        '110136 update 0',
        '110136 update 4',
        '110137 reset-password 0',
      ]);
      for (const event of events) expect(event.agent[0].who?.identifier?.value).toMatch(/^cli:/);
      expect(JSON.stringify(events)).not.toContain(temporary);
    } finally {
      await db.close();
    }
  });
});
