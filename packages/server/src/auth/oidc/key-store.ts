import { randomBytes, randomUUID } from 'node:crypto';
import type { Database } from '@hospitium/db';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** The server's secrets: token signing keys (private JWKs) and cookie signing keys. */
export interface ServerKeys {
  /** Private signing keys, newest first (the first one signs). */
  signing: JWK[];
  /** Public halves of `signing`: the JWKS tokens are verified against. */
  publicJwks: { keys: JWK[] };
  /** Cookie-signing secrets, newest first. */
  cookies: string[];
}

/**
 * Loads the keys from `auth_keys`, generating them on first start: an ES256 key pair for
 * tokens and a 256-bit cookie secret. Generated here, stored in the database, never in the
 * repository or the logs. Processes starting together may each add a key; all are valid and
 * every process signs with the same (newest, then smallest id) one.
 */
export async function loadServerKeys(db: Database): Promise<ServerKeys> {
  let keys = await readKeys(db);
  if (keys.signing.length === 0) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'ES256', use: 'sig' };
    await insertKey(db, jwk.kid, 'sig', jwk);
  }
  if (keys.cookies.length === 0) {
    await insertKey(db, randomUUID(), 'cookie', { k: randomBytes(32).toString('base64url') });
  }
  if (keys.signing.length === 0 || keys.cookies.length === 0) keys = await readKeys(db);
  return keys;
}

async function insertKey(db: Database, kid: string, use: 'sig' | 'cookie', key: object): Promise<void> {
  await db.query('INSERT INTO auth_keys (kid, use, key) VALUES ($1, $2, $3::text::jsonb)', [
    kid,
    use,
    JSON.stringify(key),
  ]);
}

async function readKeys(db: Database): Promise<ServerKeys> {
  const result = await db.query<{ use: string; key: JWK | string }>(
    `SELECT use, key FROM auth_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid`,
  );
  const signing: JWK[] = [];
  const cookies: string[] = [];
  for (const row of result.rows) {
    const key = typeof row.key === 'string' ? (JSON.parse(row.key) as JWK) : row.key;
    if (row.use === 'sig') signing.push(key);
    else if (typeof key.k === 'string') cookies.push(key.k);
  }
  const publicJwks = {
    keys: signing.map(({ kty, crv, x, y, kid, alg, use }) => ({ kty, crv, x, y, kid, alg, use })),
  };
  return { signing, publicJwks, cookies };
}
