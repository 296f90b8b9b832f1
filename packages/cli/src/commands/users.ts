import { roles, type User, UserStore } from '@hospitium/server';
import { ConfigError, type HospitiumConfig } from '../config.js';
import { openConfiguredDatabase } from '../database.js';
import { readSecret } from '../secret-input.js';

export interface UsersOptions {
  roles?: string;
  fhirUser?: string;
  displayName?: string;
}

const usage = `hospitium users add NAME --roles R1,R2 [--fhir-user Practitioner/ID] [--display-name TEXT]
hospitium users list
hospitium users set-password NAME
hospitium users lock NAME | unlock NAME
hospitium users roles NAME R1,R2
hospitium users reset-totp NAME
Passwords are typed at a prompt (or given on standard input), never as arguments.
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
    const users = new UserStore(opened.db);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    switch (action) {
      case 'add': {
        if (!options.roles) throw new ConfigError(['users add needs --roles (comma-separated)']);
        const password = await readSecret(`Password for ${name}: `);
        const { user, totpUri } = await users.create({
          username: name,
          password,
          roles: splitList(options.roles),
          ...(options.fhirUser ? { fhirUser: options.fhirUser } : {}),
          ...(options.displayName ? { displayName: options.displayName } : {}),
        });
        out(`Created ${describe(user)}`);
        if (totpUri) out(`Second factor: add this to an authenticator app (shown once):\n  ${totpUri}`);
        return;
      }
      case 'list':
        for (const user of await users.list()) out(describe(user));
        return;
      case 'set-password':
        await users.setPassword(name, await readSecret(`New password for ${name}: `));
        out(`Password of ${name} changed`);
        return;
      case 'lock':
        await users.lock(name);
        out(`${name} is locked until unlocked`);
        return;
      case 'unlock':
        await users.unlock(name);
        out(`${name} is unlocked`);
        return;
      case 'roles': {
        if (!extra) throw new ConfigError([`usage:\n${usage}`]);
        const { user, totpUri } = await users.setRoles(name, splitList(extra));
        out(`Roles of ${user.username}: ${user.roles.join(', ') || '(none)'}`);
        if (totpUri)
          out(`Second factor now required: add this to an authenticator app (shown once):\n  ${totpUri}`);
        return;
      }
      case 'reset-totp':
        out(`New authenticator secret for ${name} (shown once):\n  ${await users.resetTotp(name)}`);
        return;
      default:
        throw new ConfigError([`unknown users action "${action}"\n${usage}`]);
    }
  } finally {
    await opened.close();
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function describe(user: User): string {
  const state = user.lockedByAdmin
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
