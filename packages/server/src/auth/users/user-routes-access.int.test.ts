/** `/auth/users`: who may call it, what it refuses, and what it records when it refuses. */
import { testDatabases } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { OAuthFixture } from '../../testing/oauth-fixture.js';
import { type AccountEvent, userAdminHarness } from '../../testing/user-admin-harness.js';

describe.each(testDatabases())('user administration API (access, audit, bad input) on $name', ({ open }) => {
  let f: OAuthFixture, app: FastifyInstance;
  const { call, accountEventsOf } = userAdminHarness(open, (started) => ({ f, app } = started));

  it.each([
    ['GET', '/auth/users', undefined],
    ['POST', '/auth/users', { username: 'matrix.new', roles: ['coder'] }],
    ['GET', '/auth/users/nurse.kim', undefined],
    ['PATCH', '/auth/users/nurse.kim', { displayName: 'Kim' }],
    ['POST', '/auth/users/nurse.kim/$reset-password', undefined],
    ['POST', '/auth/users/nurse.kim/$unlock', undefined],
    ['POST', '/auth/users/nurse.kim/$lock', undefined],
    ['POST', '/auth/users/analyst.lee/$reset-totp', undefined],
  ] as const)('%s %s: only an it-admin user; others 403, no token 401', async (method, url, body) => {
    expect((await call(undefined, method, url, body)).status).toBe(401);
    for (const who of ['nurse', 'analyst', 'client', 'adminPatientApp']) {
      const refused = await call(who, method, url, body);
      expect(refused.status, who).toBe(403);
      expect(refused.body.resourceType).toBe('OperationOutcome');
    }
    const allowed = await call('admin', method, url, body);
    expect(allowed.status).toBe(method === 'POST' && url === '/auth/users' ? 201 : 200);
    if (url.endsWith('$lock')) await call('admin', 'POST', '/auth/users/nurse.kim/$unlock');
  });

  it('a refused call is audited with outcome 4 and the caller; nothing changes', async () => {
    const events = await accountEventsOf(async () => {
      expect((await call('nurse', 'PATCH', '/auth/users/nurse.kim', { roles: ['it-admin'] })).status).toBe(
        403,
      );
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: '4', action: 'U', type: { code: '110137' } });
    expect(events[0].outcomeDesc).toContain('it-admin');
    expect(events[0].entity[0].name).toBe('nurse.kim');
    expect((await f.auth.users.get('nurse.kim')).roles).toEqual(['nurse']);
    // Looking is not a change: an administrator's reads are not recorded, a refused look is an alert.
    const looks = await accountEventsOf(async () => {
      expect((await call('admin', 'GET', '/auth/users')).status).toBe(200);
      expect((await call('analyst', 'GET', '/auth/users')).status).toBe(403);
      expect((await call('client', 'GET', '/auth/users/it.boss')).status).toBe(403);
    });
    expect(
      looks
        .map((e) => [e.type.code, e.subtype[0].code, e.action, e.outcome, e.entity[0].name].join(' '))
        .sort(),
    ).toEqual(['110113 list E 4 (all accounts)', '110113 read R 4 it.boss']);
  });

  it('a call without a token is a Security Alert naming the method and path, never the query', async () => {
    const alerts = async () =>
      (
        (
          await app.inject({
            url: '/fhir/AuditEvent?type=110113&_count=1000',
            headers: await f.systemHeaders(),
          })
        ).json() as {
          entry?: { resource: AccountEvent & { entity: { what?: { identifier?: { value: string } } }[] } }[];
        }
      ).entry?.map((e) => e.resource) ?? [];
    const before = new Set((await alerts()).map((e) => e.id));
    const res = await app.inject({
      url: '/auth/users/nurse.kim?token=s3cr3t',
      headers: { authorization: 'Bearer nope' },
    });
    expect(res.statusCode).toBe(401);
    const added = (await alerts()).filter((e) => !before.has(e.id));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ outcome: '4', subtype: [{ code: 'unauthenticated' }] });
    expect(added[0].entity[0].what?.identifier?.value).toBe('GET /auth/users/nurse.kim');
    expect(JSON.stringify(added[0])).not.toContain('s3cr3t');
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const cases: [string, 'POST' | 'PATCH', string, unknown, RegExp][] = [
      ['no user name', 'POST', '/auth/users', { roles: ['nurse'] }, /username is required/],
      ['unknown role', 'POST', '/auth/users', { username: 'x.y', roles: ['chef'] }, /Unknown role/],
      ['roles not a list', 'POST', '/auth/users', { username: 'x.y', roles: 'nurse' }, /array/],
      [
        'weak password',
        'POST',
        '/auth/users',
        { username: 'x.y', roles: ['nurse'], password: 'short' },
        /12/,
      ],
      ['unknown field', 'POST', '/auth/users', { username: 'x.y', roles: [], admin: true }, /Unknown field/],
      ['not an object', 'POST', '/auth/users', ['x.y'], /JSON object/],
      ['bad user name', 'POST', '/auth/users', { username: 'A B', roles: [] }, /user name/],
      ['taken', 'POST', '/auth/users', { username: 'nurse.kim', roles: ['nurse'] }, /already exists/],
      ['active not boolean', 'PATCH', '/auth/users/nurse.kim', { active: 'no' }, /active/],
      ['empty patch', 'PATCH', '/auth/users/nurse.kim', {}, /Nothing to change/],
      ['bad link', 'PATCH', '/auth/users/nurse.kim', { fhirUser: 'Observation/1' }, /fhirUser/],
      [
        'patient role, staff link',
        'PATCH',
        '/auth/users/nurse.kim',
        { roles: ['patient'], fhirUser: 'Practitioner/9' },
        /Patient/,
      ],
      ['control characters', 'PATCH', '/auth/users/nurse.kim', { displayName: 'a\u0007b' }, /displayName/],
      ['unknown user', 'PATCH', '/auth/users/nobody.here', { active: false }, /No user named/],
    ];
    for (const [name, method, url, body, message] of cases) {
      const res = await call('admin', method, url, body);
      expect(res.status, name).toBe(name === 'taken' ? 409 : name === 'unknown user' ? 404 : 400);
      expect(res.body.resourceType, name).toBe('OperationOutcome');
      expect(JSON.stringify(res.body), name).toMatch(message);
    }
    expect(await f.auth.users.get('nurse.kim')).toMatchObject({ roles: ['nurse'], active: true });
    expect(await f.auth.users.exists('x.y')).toBe(false);
    const badReset = await call('admin', 'POST', '/auth/users/nurse.kim/$reset-password', {
      password: 'nurse.kim-123456',
    });
    expect(badReset.status).toBe(400);
    expect(JSON.stringify(badReset.body)).toMatch(/user name/);
  });
});
