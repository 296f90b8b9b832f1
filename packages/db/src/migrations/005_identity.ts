import type { Migration } from './migration.js';

/**
 * Identity and access: user accounts, OAuth clients, the authorization server's own records
 * (sessions, grants, codes, refresh tokens, interactions — one row per oidc-provider model
 * instance) and the server's signing and cookie keys, generated on first start so that no key
 * ever sits in the repository.
 *
 * - `auth_users.roles` holds role codes checked by the server (a closed list in code).
 *   `locked_by_admin` survives a successful password; `locked_until` is the automatic lockout
 *   after repeated failures. `fhir_user` links the account to its Practitioner or Patient.
 * - `auth_clients.metadata` is the OAuth client registration as oidc-provider reads it; a
 *   `client_secret` in it is an argon2id hash, never the secret itself.
 * - `auth_oidc_payloads` is keyed by (model, id); `grant_id`, `uid` and `user_code` are the
 *   lookups oidc-provider needs (revoke by grant, find an interaction, device flow).
 */
export const identity: Migration = {
  version: 5,
  name: 'identity',
  sql: `
CREATE TABLE auth_users (
  id text COLLATE "C" PRIMARY KEY,
  username text COLLATE "C" NOT NULL UNIQUE,
  display_name text,
  password_hash text,
  roles jsonb NOT NULL DEFAULT '[]',
  fhir_user text,
  totp_secret text,
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  locked_by_admin boolean NOT NULL DEFAULT false,
  last_login_at timestamptz,
  password_changed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auth_clients (
  client_id text COLLATE "C" PRIMARY KEY,
  metadata jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auth_oidc_payloads (
  model text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  payload jsonb NOT NULL,
  grant_id text COLLATE "C",
  uid text COLLATE "C",
  user_code text COLLATE "C",
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX auth_oidc_payloads_grant_idx ON auth_oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX auth_oidc_payloads_uid_idx ON auth_oidc_payloads (uid) WHERE uid IS NOT NULL;
CREATE INDEX auth_oidc_payloads_user_code_idx ON auth_oidc_payloads (user_code) WHERE user_code IS NOT NULL;
CREATE INDEX auth_oidc_payloads_expires_idx ON auth_oidc_payloads (expires_at);

CREATE TABLE auth_keys (
  kid text COLLATE "C" PRIMARY KEY,
  use text NOT NULL CHECK (use IN ('sig', 'cookie')),
  key jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
`,
};
