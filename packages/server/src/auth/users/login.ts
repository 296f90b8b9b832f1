import { isOperationOutcomeError } from '@hospitium/fhir';
import { hashSecret, verifySecret } from './passwords.js';
import { requiresSecondFactor } from './roles.js';
import { checkTotp } from './totp.js';
import type { User, UserStore } from './user-store.js';

/** Lockout after repeated failures (ONC 170.315(d)(1) expects one; NIST 800-63B allows up to 100). */
export interface LockoutPolicy {
  /** Failed attempts in a row that lock the account. */
  maxFailures: number;
  /** How long the automatic lock lasts. */
  lockMinutes: number;
  /**
   * How long a temporary password (an administrator's reset) can be used to choose one's own;
   * after that it signs in no one and the service desk issues another. Default 72 hours.
   */
  temporaryPasswordHours?: number;
}

export const defaultLockoutPolicy: LockoutPolicy = {
  maxFailures: 5,
  lockMinutes: 15,
  temporaryPasswordHours: 72,
};

/** Why a sign-in was refused (recorded in the audit trail; the page shows its own words). */
export type LoginRefusal =
  | 'invalid'
  | 'locked'
  | 'inactive'
  | 'totp-required'
  | 'totp-invalid'
  | 'password-change-required'
  | 'temporary-password-expired';

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: LoginRefusal /** Why a new password was refused. */; problem?: string };

/** What the sign-in page sends. */
export interface LoginAttempt {
  username: string;
  password: string;
  totp?: string;
  /** The account's own new password, when it signs in with a temporary one. */
  newPassword?: string;
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a sign-in. Unknown users cost the same hash as known ones (no user enumeration by
 * timing); a deactivated or locked account is refused before its password is checked; admin
 * roles need a valid TOTP code; every wrong password or code counts toward the lockout. An
 * account holding a temporary password completes only by choosing a new one (`newPassword`),
 * and only within `temporaryPasswordHours` of its issue.
 */
export async function authenticate(
  users: UserStore,
  attempt: LoginAttempt,
  policy: LockoutPolicy = defaultLockoutPolicy,
): Promise<LoginResult> {
  const found = await users.credentials(attempt.username);
  if (!found?.passwordHash) {
    dummyHash ??= hashSecret('not a password of anyone');
    await verifySecret(await dummyHash, attempt.password);
    return { ok: false, reason: 'invalid' };
  }
  const { user } = found;
  if (!user.active) return { ok: false, reason: 'inactive' };
  if (user.lockedByAdmin || user.lockedUntil) return { ok: false, reason: 'locked' };
  if (!(await verifySecret(found.passwordHash, attempt.password))) {
    await users.recordFailure(user.id, policy.maxFailures, policy.lockMinutes);
    return { ok: false, reason: 'invalid' };
  }
  if (requiresSecondFactor(user.roles) || found.totpSecret) {
    if (!attempt.totp) return { ok: false, reason: 'totp-required' };
    if (!found.totpSecret || !checkTotp(found.totpSecret, attempt.totp)) {
      await users.recordFailure(user.id, policy.maxFailures, policy.lockMinutes);
      return { ok: false, reason: 'totp-invalid' };
    }
  }
  if (user.passwordMustChange) {
    // A temporary password proves who this is but only lets them choose their own, for a while:
    // one sent to the wrong person, or never used, must not stay a way in.
    const hours = policy.temporaryPasswordHours ?? defaultLockoutPolicy.temporaryPasswordHours ?? 72;
    const issued = user.passwordChangedAt ? Date.parse(user.passwordChangedAt) : Number.NaN;
    if (!(Date.now() - issued <= hours * 3_600_000))
      return { ok: false, reason: 'temporary-password-expired' };
    if (!attempt.newPassword) return { ok: false, reason: 'password-change-required' };
    if (attempt.newPassword === attempt.password) {
      return {
        ok: false,
        reason: 'password-change-required',
        problem: 'The new password must differ from the temporary one',
      };
    }
    try {
      await users.setPassword(user.username, attempt.newPassword);
    } catch (err) {
      if (!isOperationOutcomeError(err) || err.status >= 500) throw err;
      return { ok: false, reason: 'password-change-required', problem: err.message };
    }
  }
  await users.recordSuccess(user.id);
  return { ok: true, user: user.passwordMustChange ? { ...user, passwordMustChange: false } : user };
}
