import { badRequest, forbidden } from '@hospitium/fhir';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountChange } from '../../audit/account-event.js';
import type { AuditRequester } from '../../audit/types.js';
import type { AccessContext } from '../tokens/access-context.js';
import { requestAccess } from '../tokens/request-access.js';
import type { AccountInput, AccountPatch, UserAdministration } from './user-admin.js';

/** Where user administration lives (needs a bearer token, like `/fhir`). */
export const usersPath = '/auth/users';

/**
 * Who may manage accounts: a signed-in user with the it-admin role, through an app acting as
 * that user (a `user/` scope, as for an EHR launch). No backend client, and no app the
 * administrator merely signed in to for one patient (`patient/` scopes only).
 */
function checkAdministrator(access: AccessContext): void {
  if (access.kind !== 'user' || !access.roles.includes('it-admin')) {
    throw forbidden('Managing user accounts needs a signed-in user with the it-admin role');
  }
  if (!access.resourceScopes.some((s) => s.context === 'user')) {
    throw forbidden(
      'Managing user accounts needs a token with user/ scopes (an app acting as the administrator)',
    );
  }
}

type Body = Record<string, unknown>;

function objectBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The body must be a JSON object');
  }
  return body as Body;
}

function optionalString(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`${name} must be a string`, name);
  return value;
}

function nullableString(body: Body, name: string): string | null | undefined {
  return body[name] === null ? null : optionalString(body, name);
}

function roleList(body: Body, required: boolean): string[] | undefined {
  const value = body.roles;
  if (value === undefined && !required) return undefined;
  if (!Array.isArray(value) || value.some((r) => typeof r !== 'string')) {
    throw badRequest('roles must be an array of role codes', 'roles');
  }
  return value as string[];
}

function refuseUnknown(body: Body, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw badRequest(`Unknown field(s): ${unknown.join(', ')}`, unknown[0]);
}

/** `POST /auth/users` body. */
export function parseAccountInput(raw: unknown): AccountInput {
  const body = objectBody(raw);
  refuseUnknown(body, ['username', 'roles', 'displayName', 'fhirUser', 'password']);
  const username = optionalString(body, 'username');
  if (username === undefined) throw badRequest('username is required', 'username');
  const displayName = optionalString(body, 'displayName');
  const fhirUser = optionalString(body, 'fhirUser');
  const password = optionalString(body, 'password');
  return {
    username,
    roles: roleList(body, true) ?? [],
    ...(displayName !== undefined ? { displayName } : {}),
    ...(fhirUser !== undefined ? { fhirUser } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

/** `PATCH /auth/users/{username}` body (JSON merge-patch style: absent = unchanged, `null` = cleared). */
export function parseAccountPatch(raw: unknown): AccountPatch {
  const body = objectBody(raw);
  refuseUnknown(body, ['displayName', 'roles', 'fhirUser', 'active']);
  const patch: AccountPatch = {};
  const displayName = nullableString(body, 'displayName');
  if (displayName !== undefined) patch.displayName = displayName;
  const fhirUser = nullableString(body, 'fhirUser');
  if (fhirUser !== undefined) patch.fhirUser = fhirUser;
  const roles = roleList(body, false);
  if (roles !== undefined) patch.roles = roles;
  if (body.active !== undefined) {
    if (typeof body.active !== 'boolean') throw badRequest('active must be true or false', 'active');
    patch.active = body.active;
  }
  return patch;
}

/**
 * User administration over HTTP, for it-admin users only (403 otherwise). Every change, and
 * every refused call, leaves an AuditEvent (a refused list or read is a 110113 Security Alert). JSON in and out, errors as OperationOutcome:
 * - `GET /auth/users` → `{ users: [...] }`; `POST /auth/users` → 201 the account;
 * - `GET|PATCH /auth/users/{username}`;
 * - `POST /auth/users/{username}/$reset-password` (`{ password? }`), `$unlock`, `$lock`, `$reset-totp`.
 * Secrets issued once (`temporaryPassword`, `totpUri`) appear only in the answer that issues them.
 */
export function registerUserRoutes(app: FastifyInstance, admin: UserAdministration): void {
  const requesterOf = (request: FastifyRequest): AuditRequester => ({
    access: requestAccess(request),
    networkAddress: request.ip,
  });

  /** Runs `work` for an administrator; a refused or unreadable call is audited as `change`. */
  async function asAdministrator<T>(
    request: FastifyRequest,
    change: AccountChange,
    username: string,
    work: (requester: AuditRequester) => Promise<T>,
  ): Promise<T> {
    const requester = requesterOf(request);
    try {
      checkAdministrator(requester.access);
    } catch (err) {
      await admin.refused(requester, change, username, err);
      throw err;
    }
    return work(requester);
  }

  /** Parses a body; a bad one is audited as a refused `change` of `username`. */
  async function parsed<T>(
    requester: AuditRequester,
    change: AccountChange,
    username: string,
    parse: () => T,
  ): Promise<T> {
    try {
      return parse();
    } catch (err) {
      await admin.refused(requester, change, username, err);
      throw err;
    }
  }

  type Named = FastifyRequest<{ Params: { username: string }; Body: unknown }>;
  const json = (reply: FastifyReply, status: number, value: unknown) =>
    reply.code(status).header('cache-control', 'no-store').type('application/json').send(value);

  app.get(usersPath, async (request, reply) =>
    asAdministrator(request, 'list', '(all accounts)', async () =>
      json(reply, 200, { users: await admin.list() }),
    ),
  );

  app.post(usersPath, async (request: FastifyRequest<{ Body: unknown }>, reply) => {
    const named = (request.body as { username?: unknown } | undefined)?.username;
    const username = typeof named === 'string' ? named : '';
    return asAdministrator(request, 'create', username, async (requester) => {
      const input = await parsed(requester, 'create', username, () => parseAccountInput(request.body));
      const account = await admin.create(requester, input);
      return json(reply.header('location', `${usersPath}/${account.username}`), 201, account);
    });
  });

  app.get(`${usersPath}/:username`, async (request: Named, reply) =>
    asAdministrator(request, 'read', request.params.username, async () =>
      json(reply, 200, await admin.get(request.params.username)),
    ),
  );

  app.patch(`${usersPath}/:username`, async (request: Named, reply) => {
    const { username } = request.params;
    return asAdministrator(request, 'update', username, async (requester) => {
      const patch = await parsed(requester, 'update', username, () => parseAccountPatch(request.body));
      return json(reply, 200, await admin.update(requester, username, patch));
    });
  });

  app.post(`${usersPath}/:username/$reset-password`, async (request: Named, reply) => {
    const { username } = request.params;
    return asAdministrator(request, 'reset-password', username, async (requester) => {
      const password = await parsed(requester, 'reset-password', username, () => {
        if (request.body === undefined || request.body === null) return undefined;
        const body = objectBody(request.body);
        refuseUnknown(body, ['password']);
        return optionalString(body, 'password');
      });
      return json(reply, 200, await admin.resetPassword(requester, username, password));
    });
  });

  const simple = { $unlock: 'unlock', $lock: 'lock', '$reset-totp': 'reset-totp' } as const;
  for (const [operation, change] of Object.entries(simple)) {
    app.post(`${usersPath}/:username/${operation}`, async (request: Named, reply) => {
      const { username } = request.params;
      return asAdministrator(request, change, username, async (requester) => {
        const account =
          change === 'unlock'
            ? await admin.unlock(requester, username)
            : change === 'lock'
              ? await admin.lock(requester, username)
              : await admin.resetTotp(requester, username);
        return json(reply, 200, account);
      });
    });
  }
}
