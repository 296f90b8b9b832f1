import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretBox } from './secret-box.js';

/** The key file's name in the data directory. */
export const secretKeyFileName = 'secret.key';

/** Where the key may come from: the environment first, else the embedded database's directory. */
export interface SecretKeySource {
  /** `HOSPITIUM_SECRET_KEY`: 32 bytes in base64. */
  envValue?: string;
  /** The data directory of the embedded database (none for a PostgreSQL server). */
  dataDir?: string;
}

/** Where the key came from, for the start banner (never the key). */
export type SecretKeyOrigin = { kind: 'env' } | { kind: 'file'; path: string; created: boolean };

/** A configuration problem with the key; the message says how to fix it. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

function decode(value: string, where: string): Buffer {
  const text = value.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new SecretKeyError(
      `${where} must hold 32 bytes in base64 (for example the output of \`openssl rand -base64 32\`), got ${key.length} bytes`,
    );
  }
  return key;
}

/**
 * The key that encrypts secrets at rest: `HOSPITIUM_SECRET_KEY` when set; else the key file
 * `secret.key` in the data directory, created (mode 0600, never overwritten) on first use;
 * else none — a PostgreSQL server without the variable, where the caller decides whether that
 * is fatal (it is once TOTP secrets exist). A malformed key is a `SecretKeyError`, never ignored.
 */
export function loadSecretKey(
  source: SecretKeySource,
): { box: SecretBox; origin: SecretKeyOrigin } | undefined {
  if (source.envValue !== undefined && source.envValue !== '') {
    return { box: new SecretBox(decode(source.envValue, 'HOSPITIUM_SECRET_KEY')), origin: { kind: 'env' } };
  }
  if (!source.dataDir) return undefined;
  const path = join(source.dataDir, secretKeyFileName);
  let created = false;
  if (!existsSync(path)) {
    try {
      writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return {
    box: new SecretBox(decode(readFileSync(path, 'utf8'), path)),
    origin: { kind: 'file', path, created },
  };
}
