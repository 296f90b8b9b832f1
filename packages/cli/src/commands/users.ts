import { createRepository } from '@hospitium/db';
import {
  type AccountResult,
  AuditRecorder,
  commandLineRequester,
  roles,
  type User,
  UserAdministration,
  UserStore,
} from '@hospitium/server';
import { ConfigError, type HospitiumConfig } from '../config.js';
import { openConfiguredDatabase } from '../database.js';
import { readSecret } from '../secret-input.js';
import { openSecretKey } from '../secret-key.js';

export interface UsersOptions {
  roles?: string;
  fhirUser?: string;
  displayName?: string;
}

const usage = `hospitium users add NAME --roles R1,R2 [--fhir-user Practitioner/ID] [--display-name TEXT]
hospitium users list
hospitium users set-password NAME
hospitium users reset-password NAME        (a one-time temporary password, changed at next sign-in, valid 72 hours)
hospitium users lock NAME | unlock NAME
hospitium users deactivate NAME | activate NAME
hospitium users roles NAME R1,R2
hospitium users reset-totp NAME
Passwords are typed at a prompt (or given on standard input), never as arguments.
Every change is recorded in the audit trail, as through the /auth/users API.
Roles: ${roles.join(', ')}`;

/** `hospitium users …`: manage user accounts in the configured database. */
export async function usersCommand(
  config: HospitiumConfig,
  args: string[],
  options: UsersOptions,
): Promise<void> {
  const [action, name, extra] = args;
  const needsName = action !== 'list';
  if (!action || (needsName && !name)) throw new ConfigError([`usage:\n${usage}`]);
  const opened = await openConfiguredDatabase(config, 'hospitium users');
  try {
    // The same code path as `/auth/users`: same rules, same AuditEvents.
    const admin = new UserAdministration(
      new UserStore(opened.db, openSecretKey(config)?.box),
      new AuditRecorder(createRepository(opened.db), opened.db, config.baseUrl),
    );
    const requester = commandLineRequester();
    const out = (line: string) => process.stdout.write(`${line}\n`);
    switch (action) {
      case 'add': {
        if (!options.roles) throw new ConfigError(['users add needs --roles (comma-separated)']);
        const password = await readSecret(`Password for ${name}: `);
        const account = await admin.create(requester, {
          username: name,
          password,
          roles: splitList(options.roles),
          ...(options.fhirUser ? { fhirUser: options.fhirUser } : {}),
          ...(options.displayName ? { displayName: options.displayName } : {}),
        });
        out(`Created ${describe(account)}`);
        showIssued(out, account);
        return;
      }
      case 'list':
        for (const user of await admin.list()) out(describe(user));
        return;
      case 'set-password':
        await admin.resetPassword(requester, name, await readSecret(`New password for ${name}: `));
        out(`Password of ${name} changed`);
        return;
      case 'reset-password':
        showIssued(out, await admin.resetPassword(requester, name));
        return;
      case 'lock':
        await admin.lock(requester, name);
        out(`${name} is locked until unlocked`);
        return;
      case 'unlock':
        await admin.unlock(requester, name);
        out(`${name} is unlocked`);
        return;
      case 'deactivate':
      case 'activate':
        await admin.update(requester, name, { active: action === 'activate' });
        out(`${name} is ${action}d`);
        return;
      case 'roles': {
        if (!extra) throw new ConfigError([`usage:\n${usage}`]);
        const account = await admin.update(requester, name, { roles: splitList(extra) });
        out(`Roles of ${account.username}: ${account.roles.join(', ') || '(none)'}`);
        showIssued(out, account);
        return;
      }
      case 'reset-totp':
        showIssued(out, await admin.resetTotp(requester, name));
        return;
      default:
        throw new ConfigError([`unknown users action "${action}"\n${usage}`]);
    }
  } finally {
    await opened.close();
  }
}

/** Prints what an action issued once (authenticator URI, temporary password); never stored or logged. */
function showIssued(out: (line: string) => void, account: AccountResult): void {
  if (account.totpUri) {
    out(`Second factor: add this to an authenticator app (shown once):\n  ${account.totpUri}`);
  }
  if (account.temporaryPassword) {
    out(
      `Temporary password for ${account.username} (shown once; to be changed at next sign-in within 72 hours):\n  ${account.temporaryPassword}`,
    );
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function describe(user: User): string {
  const state = !user.active
    ? 'deactivated'
    : user.lockedByAdmin
      ? 'locked'
      : user.lockedUntil
        ? `locked until ${user.lockedUntil}`
        : 'active';
  const parts = [
    user.username.padEnd(20),
    (user.roles.join(',') || '-').padEnd(28),
    (user.fhirUser ?? '-').padEnd(24),
    state,
    user.totpEnrolled ? 'totp' : '',
    user.lastLoginAt ? `last sign-in ${user.lastLoginAt}` : '',
  ];
  return parts.filter((p) => p !== '').join('  ');
}
