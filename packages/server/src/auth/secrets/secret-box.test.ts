import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';
import { loadSecretKey, SecretKeyError, secretKeyFileName } from './secret-key.js';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips, with a fresh IV every time, and never shows the secret', () => {
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const a = box.seal(secret);
    const b = box.seal(secret);
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(box.open(a)).toBe(secret);
    expect(box.open(b)).toBe(secret);
  });

  it('a wrong key, a tampered value or a value in clear is a clear 500, not garbage', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    const other = new SecretBox(randomBytes(32));
    expect(() => other.open(sealed)).toThrow(/does not decrypt with the configured secret key/);
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open(`v1:${raw.toString('base64url')}`)).toThrow(/does not decrypt/);
    expect(() => box.open('JBSWY3DPEHPK3PXP')).toThrow(/not in the encrypted format/);
    expect(() => box.open('v1:abc')).toThrow(/truncated/);
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('loadSecretKey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hospitium-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes HOSPITIUM_SECRET_KEY first and refuses one that is not 32 bytes of base64', () => {
    const key = randomBytes(32).toString('base64');
    const loaded = loadSecretKey({ envValue: key, dataDir: dir });
    expect(loaded?.origin).toEqual({ kind: 'env' });
    expect(new SecretBox(Buffer.from(key, 'base64')).open(loaded?.box.seal('x') ?? '')).toBe('x');
    expect(() => loadSecretKey({ envValue: randomBytes(16).toString('base64') })).toThrow(SecretKeyError);
    expect(() => loadSecretKey({ envValue: 'not base64 at all!' })).toThrow(/32 bytes in base64/);
  });

  it('creates a 0600 key file in the data directory once, and reuses it', () => {
    const first = loadSecretKey({ dataDir: dir });
    const path = join(dir, secretKeyFileName);
    expect(first?.origin).toEqual({ kind: 'file', path, created: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const sealed = first?.box.seal('seed') ?? '';
    const second = loadSecretKey({ dataDir: dir });
    expect(second?.origin).toEqual({ kind: 'file', path, created: false });
    expect(second?.box.open(sealed)).toBe('seed');
    chmodSync(path, 0o644);
    loadSecretKey({ dataDir: dir });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain('seed');
  });

  it('a damaged key file is an error naming the file; no key anywhere is undefined', () => {
    const damaged = mkdtempSync(join(tmpdir(), 'hospitium-key-'));
    writeFileSync(join(damaged, secretKeyFileName), 'short\n', { mode: 0o600 });
    expect(() => loadSecretKey({ dataDir: damaged })).toThrow(new RegExp(secretKeyFileName));
    rmSync(damaged, { recursive: true, force: true });
    expect(loadSecretKey({})).toBeUndefined();
  });
});
