import type { Migration } from './migration.js';

/**
 * Account state an administrator manages through `/auth/users` and `hospitium users`:
 *
 * - `active`: a deactivated account (a leaver) cannot sign in; unlike `locked_by_admin` it is not
 *   lifted by `$unlock`, only by reactivating the account.
 * - `password_must_change`: set when an administrator issues a one-time temporary password; the
 *   next sign-in must choose a new password before it completes.
 *
 * `totp_secret` keeps its column: from this version on it holds the secret encrypted
 * (AES-256-GCM, `v1:` prefix); the server encrypts plaintext secrets left by older versions on start.
 */
export const accountState: Migration = {
  version: 12,
  name: 'account_state',
  sql: `
ALTER TABLE auth_users ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE auth_users ADD COLUMN password_must_change boolean NOT NULL DEFAULT false;
`,
};
