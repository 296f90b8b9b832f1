import { randomUUID } from 'node:crypto';
import type { Queryable } from '@hospitium/db';
import { badRequest, conflict, notFound, OperationOutcomeError, operationOutcome } from '@hospitium/fhir';
import { SecretBox } from '../secrets/secret-box.js';
import { hashSecret, passwordProblem } from './passwords.js';
import { isRole, type Role, requiresSecondFactor } from './roles.js';
import { newTotpSecret } from './totp.js';

/** A user account as the rest of the server sees it (no hashes, no TOTP secret). */
export interface User {
  id: string;
  username: string;
  displayName?: string;
  roles: Role[];
  /** `Practitioner/123` (staff) or `Patient/456` (portal). */
  fhirUser?: string;
  totpEnrolled: boolean;
  /** False for a deactivated account (a leaver): it cannot sign in, whatever else holds. */
  active: boolean;
  /** A temporary password was issued: the next sign-in must choose a new one. */
  passwordMustChange: boolean;
  lockedByAdmin: boolean;
  /** Automatic lockout after repeated failures, until this instant. */
  lockedUntil?: string;
  failedLogins: number;
  lastLoginAt?: string;
  /** When the current password was set (a temporary one expires some hours after). */
  passwordChangedAt?: string;
}

/** The stored credentials of one account, for the login check only. */
export interface UserCredentials {
  user: User;
  passwordHash?: string;
  totpSecret?: string;
}

/** The fields `update` may change; `null` clears a name or link. */
export interface AccountUpdate {
  roles?: readonly string[];
  displayName?: string | null;
  fhirUser?: string | null;
  active?: boolean;
}

export interface NewUser {
  username: string;
  password?: string;
  roles: readonly string[];
  fhirUser?: string;
  displayName?: string;
  /**
   * A demo account (the demo hospital's `registrar`/`demo` and so on): the password policy is not
   * applied. Only the demo loader sets this, only in demo mode.
   */
  demo?: boolean;
  /** The password is a temporary one: the account must choose its own at first sign-in. */
  passwordMustChange?: boolean;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string | null;
  password_hash: string | null;
  roles: string[] | string;
  fhir_user: string | null;
  totp_secret: string | null;
  failed_logins: number;
  locked_until: Date | string | null;
  locked_by_admin: boolean;
  last_login_at: Date | string | null;
  active: boolean;
  password_must_change: boolean;
  password_changed_at: Date | string | null;
}

const columns =
  'id, username, display_name, password_hash, roles, fhir_user, totp_secret, failed_logins, locked_until, locked_by_admin, last_login_at, active, password_must_change, password_changed_at';

const usernamePattern = /^[a-z0-9][a-z0-9._@-]{1,63}$/;
const fhirUserPattern =
  /^(Practitioner|PractitionerRole|Patient|RelatedPerson|Person)\/[A-Za-z0-9\-.]{1,64}$/;

function toCredentials(row: UserRow, openSecret: (stored: string) => string): UserCredentials {
  const roles = (typeof row.roles === 'string' ? (JSON.parse(row.roles) as string[]) : row.roles).filter(
    isRole,
  );
  const iso = (v: Date | string) => new Date(v).toISOString();
  const user: User = {
    id: row.id,
    username: row.username,
    roles,
    totpEnrolled: row.totp_secret !== null,
    active: row.active,
    passwordMustChange: row.password_must_change,
    lockedByAdmin: row.locked_by_admin,
    failedLogins: row.failed_logins,
    ...(row.display_name ? { displayName: row.display_name } : {}),
    ...(row.fhir_user ? { fhirUser: row.fhir_user } : {}),
    ...(row.locked_until && new Date(row.locked_until) > new Date()
      ? { lockedUntil: iso(row.locked_until) }
      : {}),
    ...(row.last_login_at ? { lastLoginAt: iso(row.last_login_at) } : {}),
    ...(row.password_changed_at ? { passwordChangedAt: iso(row.password_changed_at) } : {}),
  };
  return {
    user,
    ...(row.password_hash ? { passwordHash: row.password_hash } : {}),
    ...(row.totp_secret ? { totpSecret: openSecret(row.totp_secret) } : {}),
  };
}

/** 400 unless `fhirUser` is a Practitioner/Patient/… reference, and a Patient for a patient account. */
function checkFhirUser(fhirUser: string, roles: readonly Role[]): void {
  if (!fhirUserPattern.test(fhirUser)) {
    throw badRequest('fhirUser must be a reference such as Practitioner/123 or Patient/456', 'fhirUser');
  }
  if (roles.includes('patient') && !fhirUser.startsWith('Patient/')) {
    throw badRequest('A patient account links to a Patient (fhirUser Patient/{id})', 'fhirUser');
  }
}

/** 400 for a display name that is empty, too long or carries control characters. */
function checkDisplayName(name: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (name.trim() === '' || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw badRequest('displayName is 1–200 printable characters', 'displayName');
  }
}

/** The error of a TOTP secret to store or read without a key. */
function missingKey(accounts: number): OperationOutcomeError {
  const existing = accounts > 0 ? `${accounts} account(s) have a TOTP second factor, and ` : '';
  return new OperationOutcomeError(
    operationOutcome([
      {
        severity: 'error',
        code: 'security',
        details: {
          text: `${existing}TOTP secrets are stored encrypted: set HOSPITIUM_SECRET_KEY (32 bytes in base64, e.g. \`openssl rand -base64 32\`) — required with a PostgreSQL server; the embedded database keeps a key file in its data directory`,
        },
      },
    ]),
    { status: 500 },
  );
}

/** Checks roles against the closed list; 400 naming the unknown ones. */
export function parseRoles(values: readonly string[]): Role[] {
  const unknown = values.filter((r) => !isRole(r));
  if (unknown.length > 0) throw badRequest(`Unknown role(s): ${unknown.join(', ')}`, 'roles');
  return [...new Set(values)] as Role[];
}

/** What `prepareSecrets` did on start. */
export interface SecretsReport {
  /** Accounts with a TOTP secret. */
  totpAccounts: number;
  /** Secrets found in clear (left by an older version) and encrypted now. */
  sealed: number;
}

/**
 * The `auth_users` table (migrations 005, 012). Passwords are stored as argon2id hashes only;
 * TOTP secrets encrypted with `secrets` (AES-256-GCM). Without a key the store still serves
 * accounts without a second factor, and refuses to store a TOTP secret.
 */
export class UserStore {
  constructor(
    private readonly db: Queryable,
    private readonly secrets?: SecretBox,
  ) {}

  /**
   * On start: encrypts TOTP secrets still in clear (idempotent), then checks that every stored
   * secret decrypts with this key. Without a key, TOTP accounts are a fatal configuration error.
   */
  async prepareSecrets(): Promise<SecretsReport> {
    const rows = await this.db.query<{ id: string; totp_secret: string }>(
      'SELECT id, totp_secret FROM auth_users WHERE totp_secret IS NOT NULL ORDER BY id',
    );
    if (rows.rows.length > 0 && !this.secrets) throw missingKey(rows.rows.length);
    let sealed = 0;
    for (const row of rows.rows) {
      if (SecretBox.isSealed(row.totp_secret)) {
        this.openSecret(row.totp_secret);
        continue;
      }
      // Only the value read is replaced: a concurrent start sealing the same row wins harmlessly.
      const result = await this.db.query(
        'UPDATE auth_users SET totp_secret = $2 WHERE id = $1 AND totp_secret = $3',
        [row.id, this.seal(row.totp_secret), row.totp_secret],
      );
      sealed += result.rowCount ?? 0;
    }
    return { totpAccounts: rows.rows.length, sealed };
  }

  /**
   * Creates an account. Admin roles get a TOTP secret at once; the result carries its
   * `otpauth://` URI, shown once to the person enrolling their authenticator.
   */
  async create(input: NewUser): Promise<{ user: User; totpUri?: string }> {
    const username = input.username.trim().toLowerCase();
    if (!usernamePattern.test(username)) {
      throw badRequest('A user name is 2–64 characters: lower-case letters, digits and . _ @ -', 'username');
    }
    const roles = parseRoles(input.roles);
    if (input.fhirUser !== undefined) checkFhirUser(input.fhirUser, roles);
    if (input.displayName !== undefined) checkDisplayName(input.displayName);
    let passwordHash: string | null = null;
    if (input.password !== undefined) {
      const problem = input.demo ? undefined : passwordProblem(input.password, username);
      if (problem) throw badRequest(problem, 'password');
      passwordHash = await hashSecret(input.password);
    }
    const totp = requiresSecondFactor(roles) ? newTotpSecret(username) : undefined;
    const id = randomUUID();
    const inserted = await this.db.query(
      `INSERT INTO auth_users (id, username, display_name, password_hash, roles, fhir_user, totp_secret, password_changed_at, password_must_change)
       VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END, $8)
       ON CONFLICT (username) DO NOTHING`,
      [
        id,
        username,
        input.displayName ?? null,
        passwordHash,
        JSON.stringify(roles),
        input.fhirUser ?? null,
        totp ? this.seal(totp.secret) : null,
        input.passwordMustChange === true && passwordHash !== null,
      ],
    );
    if (inserted.rowCount === 0) throw conflict(`A user named '${username}' already exists`);
    const user = await this.get(username);
    return { user, ...(totp ? { totpUri: totp.uri } : {}) };
  }

  /** The account, or 404. */
  async get(username: string): Promise<User> {
    const found = await this.credentials(username);
    if (!found) throw notFound(`No user named '${username}'`);
    return found.user;
  }

  /** Account and stored credentials by user name (login) — undefined when unknown. */
  async credentials(username: string): Promise<UserCredentials | undefined> {
    const result = await this.db.query<UserRow>(`SELECT ${columns} FROM auth_users WHERE username = $1`, [
      username.trim().toLowerCase(),
    ]);
    return result.rows[0] ? toCredentials(result.rows[0], this.opener) : undefined;
  }

  /** The account by id (the token subject), or undefined. */
  async byId(id: string): Promise<User | undefined> {
    const result = await this.db.query<UserRow>(`SELECT ${columns} FROM auth_users WHERE id = $1`, [id]);
    return result.rows[0] ? toCredentials(result.rows[0], this.opener).user : undefined;
  }

  async list(): Promise<User[]> {
    const result = await this.db.query<UserRow>(`SELECT ${columns} FROM auth_users ORDER BY username`);
    // Listing needs no secret: only whether one is enrolled.
    return result.rows.map((r) => toCredentials(r, () => '').user);
  }

  /**
   * Sets a new password under the password policy; clears an automatic lockout (an
   * administrator's lock stays). `temporary`: the account must choose its own at next sign-in.
   */
  async setPassword(
    username: string,
    password: string,
    options: { temporary?: boolean } = {},
  ): Promise<void> {
    const problem = passwordProblem(password, username);
    if (problem) throw badRequest(problem, 'password');
    const passwordHash = await hashSecret(password);
    await this.updateOne(
      username,
      `password_hash = $2, password_changed_at = now(), failed_logins = 0, locked_until = NULL,
       password_must_change = $3`,
      [passwordHash, options.temporary === true],
    );
  }

  /**
   * Changes roles, display name, linked FHIR resource and the active flag in one statement,
   * after checking all of them (nothing changes when one is wrong); `null` clears a name or link.
   * Gaining an admin role enrols a TOTP secret when there is none; the result carries its URI then.
   */
  async update(username: string, patch: AccountUpdate): Promise<{ user: User; totpUri?: string }> {
    const current = await this.credentials(username);
    if (!current) throw notFound(`No user named '${username}'`);
    const roles = patch.roles !== undefined ? parseRoles(patch.roles) : current.user.roles;
    const fhirUser = patch.fhirUser !== undefined ? patch.fhirUser : (current.user.fhirUser ?? null);
    if (fhirUser !== null) checkFhirUser(fhirUser, roles);
    if (typeof patch.displayName === 'string') checkDisplayName(patch.displayName);
    const totp =
      requiresSecondFactor(roles) && !current.totpSecret ? newTotpSecret(current.user.username) : undefined;
    await this.updateOne(
      username,
      `roles = $2::text::jsonb, fhir_user = $3, totp_secret = COALESCE($4, totp_secret),
       display_name = CASE WHEN $5 THEN $6 ELSE display_name END, active = COALESCE($7, active)`,
      [
        JSON.stringify(roles),
        fhirUser,
        totp ? this.seal(totp.secret) : null,
        patch.displayName !== undefined,
        patch.displayName ?? null,
        patch.active ?? null,
      ],
    );
    return { user: await this.get(username), ...(totp ? { totpUri: totp.uri } : {}) };
  }

  /** Locks the account until an administrator unlocks it. */
  async lock(username: string): Promise<void> {
    await this.updateOne(username, 'locked_by_admin = true', []);
  }

  /** Lifts both kinds of lock and forgets failed attempts. */
  async unlock(username: string): Promise<void> {
    await this.updateOne(username, 'locked_by_admin = false, locked_until = NULL, failed_logins = 0', []);
  }

  /** Replaces the roles (see `update`). */
  setRoles(username: string, values: readonly string[]): Promise<{ user: User; totpUri?: string }> {
    return this.update(username, { roles: values });
  }

  /** Replaces the TOTP secret (lost phone); returns the new `otpauth://` URI. */
  async resetTotp(username: string): Promise<string> {
    const user = await this.get(username);
    const totp = newTotpSecret(user.username);
    await this.updateOne(username, 'totp_secret = $2', [this.seal(totp.secret)]);
    return totp.uri;
  }

  /**
   * Counts a failed sign-in; at `maxFailures` in a row the account locks for `lockMinutes`.
   * One statement, so concurrent attempts cannot undercount.
   */
  async recordFailure(id: string, maxFailures: number, lockMinutes: number): Promise<void> {
    await this.db.query(
      `UPDATE auth_users SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3::int) ELSE locked_until END,
         updated_at = now()
       WHERE id = $1`,
      [id, maxFailures, lockMinutes],
    );
  }

  /** A successful sign-in: failures forgotten, time recorded. */
  async recordSuccess(id: string): Promise<void> {
    await this.db.query(
      'UPDATE auth_users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1',
      [id],
    );
  }

  /** Whether any account exists (first start creates the administrator). */
  async exists(username: string): Promise<boolean> {
    return (await this.credentials(username)) !== undefined;
  }

  /** The TOTP secret as stored: encrypted. Without a key, a 500 saying how to configure one. */
  private seal(secret: string): string {
    if (!this.secrets) throw missingKey(0);
    return this.secrets.seal(secret);
  }

  /** A stored TOTP secret in clear (one an older version left in clear is used as it is until sealed). */
  private openSecret(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    if (!this.secrets) throw missingKey(1);
    return this.secrets.open(stored);
  }

  private readonly opener = (stored: string): string => this.openSecret(stored);

  private async updateOne(username: string, set: string, params: unknown[]): Promise<void> {
    const result = await this.db.query(
      `UPDATE auth_users SET ${set}, updated_at = now() WHERE username = $1`,
      [username.trim().toLowerCase(), ...params],
    );
    if (result.rowCount === 0) throw notFound(`No user named '${username}'`);
  }
}
