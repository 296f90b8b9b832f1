import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { badRequest, toOperationOutcomeError } from '@hospitium/fhir';
import { type AccountChange, buildAccountEvent } from '../../audit/account-event.js';
import type { AuditRecorder } from '../../audit/recorder.js';
import type { AuditRequester } from '../../audit/types.js';
import { accessFromScope } from '../tokens/access-context.js';
import { passwordProblem } from './passwords.js';
import type { User, UserStore } from './user-store.js';

/** What an administrator sends to create an account (`POST /auth/users`, `hospitium users add`). */
export interface AccountInput {
  username: string;
  roles: readonly string[];
  displayName?: string;
  fhirUser?: string;
  /** A password under the policy; without one a temporary password is issued. */
  password?: string;
}

/** The fields an administrator may change (`PATCH /auth/users/{username}`); `null` clears. */
export interface AccountPatch {
  displayName?: string | null;
  roles?: readonly string[];
  fhirUser?: string | null;
  active?: boolean;
}

/** An account as an administrator sees it, with anything issued once (shown once, never stored). */
export type AccountResult = User & {
  /** The `otpauth://` URI of a new second factor. */
  totpUri?: string;
  /** A one-time temporary password; the account must choose its own at next sign-in. */
  temporaryPassword?: string;
};

/**
 * The requester of a `hospitium users` run: the server acting for the operating-system account
 * that ran the command (whoever can open the database can manage accounts; the trail says who).
 */
export function commandLineRequester(osUser: string = operatingSystemUser()): AuditRequester {
  return { access: accessFromScope({ kind: 'internal', subject: `cli:${osUser}`, roles: [] }, '') };
}

function operatingSystemUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A temporary password: 120 random bits, well over the policy's length, easy to read out. */
function temporaryPassword(username: string): string {
  for (;;) {
    const candidate = randomBytes(15).toString('base64url');
    if (passwordProblem(candidate, username) === undefined) return candidate;
  }
}

/**
 * User administration: the one code path behind `/auth/users` and `hospitium users`, so both
 * apply the same rules and both leave the same AuditEvent (110136 Security Roles Changed /
 * 110137 User Security Attributes Changed) for every change, refused ones included.
 * `requester` says who acts: the API's token, or the operating-system user of the CLI.
 */
export class UserAdministration {
  constructor(
    readonly users: UserStore,
    private readonly audit?: AuditRecorder,
  ) {}

  list(): Promise<User[]> {
    return this.users.list();
  }

  get(username: string): Promise<User> {
    return this.users.get(username);
  }

  /** Creates an account; without a password it gets a temporary one to change at first sign-in. */
  create(requester: AuditRequester, input: AccountInput): Promise<AccountResult> {
    const fields = ['username', 'roles', 'password'];
    if (input.displayName !== undefined) fields.push('displayName');
    if (input.fhirUser !== undefined) fields.push('fhirUser');
    return this.audited(requester, 'create', input.username, fields, input.roles, async () => {
      const issued = input.password === undefined ? temporaryPassword(input.username) : undefined;
      const { user, totpUri } = await this.users.create({
        username: input.username,
        roles: input.roles,
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(input.fhirUser !== undefined ? { fhirUser: input.fhirUser } : {}),
        password: input.password ?? issued,
        passwordMustChange: issued !== undefined,
      });
      return {
        ...user,
        ...(totpUri ? { totpUri } : {}),
        ...(issued ? { temporaryPassword: issued } : {}),
      };
    });
  }

  /** Changes display name, roles, linked FHIR resource and active flag, all or nothing. */
  update(requester: AuditRequester, username: string, patch: AccountPatch): Promise<AccountResult> {
    const fields = Object.keys(patch).filter((k) => patch[k as keyof AccountPatch] !== undefined);
    if (fields.length === 0) {
      return this.audited(requester, 'update', username, fields, undefined, async () => {
        throw badRequest('Nothing to change: give displayName, roles, fhirUser or active');
      });
    }
    return this.audited(requester, 'update', username, fields, patch.roles, async () => {
      const { user, totpUri } = await this.users.update(username, patch);
      return { ...user, ...(totpUri ? { totpUri } : {}) };
    });
  }

  /**
   * Sets the given password (under the policy), or issues a one-time temporary password that
   * must be changed at next sign-in. Either way an automatic lockout is lifted.
   */
  resetPassword(requester: AuditRequester, username: string, password?: string): Promise<AccountResult> {
    const fields = password === undefined ? ['password', 'temporaryPassword'] : ['password'];
    return this.audited(requester, 'reset-password', username, fields, undefined, async () => {
      const issued = password === undefined ? temporaryPassword(username) : undefined;
      await this.users.setPassword(username, password ?? issued ?? '', { temporary: issued !== undefined });
      return { ...(await this.users.get(username)), ...(issued ? { temporaryPassword: issued } : {}) };
    });
  }

  /** Lifts an administrator's lock and an automatic lockout; failed attempts are forgotten. */
  unlock(requester: AuditRequester, username: string): Promise<AccountResult> {
    return this.audited(requester, 'unlock', username, ['locked'], undefined, async () => {
      await this.users.unlock(username);
      return this.users.get(username);
    });
  }

  /** Locks the account until an administrator unlocks it. */
  lock(requester: AuditRequester, username: string): Promise<AccountResult> {
    return this.audited(requester, 'lock', username, ['locked'], undefined, async () => {
      await this.users.lock(username);
      return this.users.get(username);
    });
  }

  /** A new TOTP secret (lost phone); its URI is in the result, shown once. */
  resetTotp(requester: AuditRequester, username: string): Promise<AccountResult> {
    return this.audited(requester, 'reset-totp', username, ['totp'], undefined, async () => {
      const totpUri = await this.users.resetTotp(username);
      return { ...(await this.users.get(username)), totpUri };
    });
  }

  /**
   * Records a refused attempt that never reached a change (no permission, unreadable body):
   * outcome 4 with the reason. The caller then throws the error.
   */
  async refused(
    requester: AuditRequester,
    change: AccountChange,
    username: string,
    err: unknown,
  ): Promise<void> {
    const failure = toOperationOutcomeError(err);
    await this.record(requester, change, username, [], undefined, failure.status, failure.message);
  }

  private async audited(
    requester: AuditRequester,
    change: AccountChange,
    username: string,
    fields: readonly string[],
    roles: readonly string[] | undefined,
    work: () => Promise<AccountResult>,
  ): Promise<AccountResult> {
    let result: AccountResult;
    try {
      result = await work();
    } catch (err) {
      const failure = toOperationOutcomeError(err);
      // A refused role change is still a roles event (110136), naming the roles asked for.
      await this.record(requester, change, username, fields, roles, failure.status, failure.message);
      throw err;
    }
    await this.record(
      requester,
      change,
      result.username,
      fields,
      roles ? result.roles : undefined,
      200,
      undefined,
      result.id,
    );
    return result;
  }

  private async record(
    requester: AuditRequester,
    change: AccountChange,
    username: string,
    fields: readonly string[],
    roles: readonly string[] | undefined,
    status: number,
    outcomeDesc?: string,
    userId?: string,
  ): Promise<void> {
    if (!this.audit) return;
    await this.audit.record(
      buildAccountEvent({
        requester,
        change,
        username: username.trim().toLowerCase() || '(no user name)',
        ...(userId ? { userId } : {}),
        fields,
        ...(roles ? { roles } : {}),
        status,
        ...(outcomeDesc ? { outcomeDesc } : {}),
        observer: this.audit.observer,
      }),
    );
  }
}
