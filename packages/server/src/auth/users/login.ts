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
}

export const defaultLockoutPolicy: LockoutPolicy = { maxFailures: 5, lockMinutes: 15 };

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid' | 'locked' | 'totp-required' | 'totp-invalid' };

/** What the sign-in page sends. */
export interface LoginAttempt {
  username: string;
  password: string;
  totp?: string;
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a sign-in. Unknown users cost the same hash as known ones (no user enumeration by
 * timing); a locked account is refused before its password is checked; admin roles need a
 * valid TOTP code; every wrong password or code counts toward the lockout.
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
  await users.recordSuccess(user.id);
  return { ok: true, user };
}
