/** Shared setup of the `/auth/users` suites: accounts, their tokens, a caller and the account audit trail. */
import type { Database, TestDatabase } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { auditEventsDuring } from './audit-events.js';
import { authTestBaseUrl } from './auth-server.js';
import { type OAuthFixture, staffPassword, startOAuthFixture } from './oauth-fixture.js';
import { serverSignedToken } from './server-token.js';

/** An account AuditEvent as the tests read it. */
export interface AccountEvent {
  id: string;
  type: { code: string };
  subtype: { system: string; code: string }[];
  action: string;
  outcome: string;
  outcomeDesc?: string;
  agent: { who?: { reference?: string; identifier?: { value: string } }; altId?: string }[];
  entity: { name: string; detail: { type: string; valueString: string }[] }[];
}

/** The lockout policy the tests sign in under. */
export const policy = { maxFailures: 3, lockMinutes: 15 };

/**
 * Registers, inside `describe.each(testDatabases())`, the hooks that open a database, start the OAuth
 * fixture with an it-admin (`it.boss`), a nurse (`nurse.kim`) and an analyst (`analyst.lee`) and sign
 * their tokens (`onStart` receives the fixture, its app and the admin's id), and close it all after.
 * Returns `call` (a request as one of `admin`, `nurse`, `analyst`, `client`, `adminPatientApp`, or
 * no one) and `accountEventsOf`.
 */
export function userAdminHarness(
  open: TestDatabase['open'],
  onStart: (started: { f: OAuthFixture; app: FastifyInstance; adminId: string }) => void,
) {
  let f: OAuthFixture;
  let db: Database;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let adminId: string;

  beforeAll(async () => {
    db = await open();
    f = await startOAuthFixture(db);
    app = f.app;
    const admin = await f.auth.users.create({
      username: 'it.boss',
      password: staffPassword,
      roles: ['it-admin'],
      fhirUser: 'Practitioner/it1',
    });
    adminId = admin.user.id;
    const nurse = await f.auth.users.create({
      username: 'nurse.kim',
      password: staffPassword,
      roles: ['nurse'],
    });
    const analyst = await f.auth.users.create({
      username: 'analyst.lee',
      password: staffPassword,
      roles: ['interface-analyst'],
    });
    const sign = (sub: string, roles: string[], scope = 'openid user/*.rs') =>
      serverSignedToken(db, authTestBaseUrl, { sub, scope, roles });
    tokens.admin = await serverSignedToken(db, authTestBaseUrl, {
      sub: adminId,
      scope: 'openid fhirUser user/*.cruds',
      roles: ['it-admin'],
      fhirUser: 'Practitioner/it1',
    });
    tokens.nurse = await sign(nurse.user.id, ['nurse']);
    tokens.analyst = await sign(analyst.user.id, ['interface-analyst']);
    tokens.client = (await f.systemHeaders()).authorization.slice('Bearer '.length);
    // The administrator through an app that asked only for one patient's record.
    tokens.adminPatientApp = await serverSignedToken(db, authTestBaseUrl, {
      sub: adminId,
      scope: 'openid launch/patient patient/*.rs',
      roles: ['it-admin'],
    });
    onStart({ f, app, adminId });
  });
  afterAll(async () => f?.close());

  async function call(
    who: string | undefined,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: unknown,
  ) {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown>, headers: res.headers };
  }

  /** The account AuditEvents (110136 / 110137) stored while `act` ran, oldest first. */
  function accountEventsOf(act: () => Promise<void>): Promise<AccountEvent[]> {
    const query = 'type=110136,110137,110113&_count=1000&_sort=date';
    return auditEventsDuring(app, () => f.systemHeaders(), query, act);
  }

  return { call, accountEventsOf };
}
