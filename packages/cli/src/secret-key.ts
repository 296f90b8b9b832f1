import { loadSecretKey, type SecretBox, type SecretKeyOrigin } from '@hospitium/server';
import type { HospitiumConfig } from './config.js';

/**
 * The key that encrypts TOTP secrets, as `hospitium start` and `hospitium users` find it:
 * `HOSPITIUM_SECRET_KEY`, else (embedded database only) `secret.key` in the data directory,
 * created on first use. Call after the database is open (the data directory then exists).
 * Undefined for a PostgreSQL server without the variable.
 */
export function openSecretKey(
  config: HospitiumConfig,
): { box: SecretBox; origin: SecretKeyOrigin } | undefined {
  return loadSecretKey({
    ...(config.auth.secretKey ? { envValue: config.auth.secretKey } : {}),
    ...(config.databaseUrl ? {} : { dataDir: config.dataDir }),
  });
}
