import { createRepository, type Database, testDatabases } from '@hospitium/db';
import type { Bundle, Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleFhirRequest } from '../../fhir/router.js';
import { outcomeText, startTestApp, type TestServer, testBaseUrl } from '../../testing/test-server.js';
import type { AccessContext } from '../tokens/access-context.js';
import { accessFromScope } from '../tokens/access-context.js';
import { createPatientAccess } from './patient-access.js';

const ref = (reference: string) => ({ reference });
const obs = (id: string, patient: string, extra: Record<string, unknown> = {}): Resource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { text: 'heart rate' },
  subject: ref(`Patient/${patient}`),
  ...extra,
});
const encounter = (
  id: string,
  patient: string,
  status: string,
  extra: Record<string, unknown> = {},
): Resource => ({
  resourceType: 'Encounter',
  id,
  status,
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
  subject: ref(`Patient/${patient}`),
  ...extra,
});

/**
 * Care relationships, break-the-glass and the side doors. Nurse `pr-n` is on the care team of
 * `care`, works on unit `ward-a` (where `unit` lies in bed `bed-1`, room `room-1`), and takes
 * part in the encounter of `part`. `none` is a stranger to her; `gone` had an encounter with
 * her that is finished.
 */
describe.each(testDatabases())('care relationships and break-the-glass on $name', ({ open }) => {
  let db: Database;
  let server: TestServer;
  let nurse: string;
  let admin: string;
  const get = (path: string, token = nurse) => server.request('GET', path, { token });

  beforeAll(async () => {
    db = await open();
    const repository = createRepository(db);
    server = await startTestApp(
      { repository, database: db, config: { baseUrl: testBaseUrl }, emergencyAccess: { cacheMs: 0 } },
      () => db.close(),
    );
    const put = async (r: Resource) => {
      const res = await server.put(`${r.resourceType}/${r.id}`, r);
      expect(res.status, res.text).toBeLessThan(300);
    };
    for (const p of ['care', 'unit', 'part', 'none', 'gone']) {
      await put({ resourceType: 'Patient', id: p, name: [{ family: p }] });
      await put(obs(`o-${p}`, p));
    }
    await put({ resourceType: 'Practitioner', id: 'pr-n' });
    await put({ resourceType: 'Practitioner', id: 'pr-x' });
    await put({ resourceType: 'Location', id: 'ward-a', name: 'Ward A' });
    await put({ resourceType: 'Location', id: 'room-1', name: 'Room 1', partOf: ref('Location/ward-a') });
    await put({ resourceType: 'Location', id: 'bed-1', name: 'Bed 1', partOf: ref('Location/room-1') });
    await put({ resourceType: 'Location', id: 'ward-b', name: 'Ward B' });
    await put({
      resourceType: 'PractitionerRole',
      id: 'role-n',
      active: true,
      practitioner: ref('Practitioner/pr-n'),
      location: [ref('Location/ward-a')],
    });
    await put({
      resourceType: 'CareTeam',
      id: 'team-care',
      status: 'active',
      subject: ref('Patient/care'),
      participant: [{ member: ref('Practitioner/pr-n') }],
    });
    await put({
      resourceType: 'CareTeam',
      id: 'team-none',
      status: 'inactive',
      subject: ref('Patient/none'),
      participant: [{ member: ref('Practitioner/pr-n') }],
    });
    await put(
      encounter('e-unit', 'unit', 'in-progress', { location: [{ location: ref('Location/bed-1') }] }),
    );
    await put(
      encounter('e-part', 'part', 'in-progress', {
        participant: [{ individual: ref('Practitioner/pr-n') }],
        location: [{ location: ref('Location/ward-b') }],
      }),
    );
    await put(
      encounter('e-none', 'none', 'in-progress', { location: [{ location: ref('Location/ward-b') }] }),
    );
    await put(
      encounter('e-gone', 'gone', 'finished', { participant: [{ individual: ref('Practitioner/pr-n') }] }),
    );
    // An Observation of `none` hung on the encounter of `care`: a revinclude side door.
    await put(obs('o-none-sneaky', 'none', { encounter: ref('Encounter/e-care') }));
    await put(encounter('e-care', 'care', 'finished'));
    nurse = await server.authority.token('user/*.cruds', {
      sub: 'u-nurse',
      client_id: 'chart',
      roles: ['nurse'],
      fhirUser: 'Practitioner/pr-n',
    });
    admin = await server.authority.token('user/*.cruds', {
      sub: 'u-admin',
      client_id: 'chart',
      roles: ['it-admin'],
    });
  });
  afterAll(async () => server?.close());

  describe('relationships', () => {
    it.each([
      ['care', 'care team'],
      ['unit', 'unit (bed → room → ward)'],
      ['part', 'encounter participant'],
    ])('a nurse reads the data of %s (%s)', async (patient) => {
      expect((await get(`Observation/o-${patient}`)).status).toBe(200);
      const search = await get(`Observation?patient=${patient}`);
      expect(search.status).toBe(200);
      expect((search.body as Bundle).entry?.length).toBeGreaterThan(0);
      expect((await get(`Patient/${patient}/$everything`)).status).toBe(200);
    });

    it.each(['none', 'gone'])('without a relationship (%s) → 403 naming break-the-glass', async (patient) => {
      const res = await get(`Observation/o-${patient}`);
      expect(res.status).toBe(403);
      expect(outcomeText(res)).toContain(`POST [base]/Patient/${patient}/$break-the-glass`);
    });

    it('demographics stay open: any patient can be found and read', async () => {
      expect((await get('Patient/none')).status).toBe(200);
      expect((await get('Patient?name=none')).status).toBe(200);
    });

    it('an inactive PractitionerRole gives no unit access', async () => {
      const other = await server.authority.token('user/*.cruds', {
        sub: 'u-other',
        client_id: 'chart',
        roles: ['nurse'],
        fhirUser: 'Practitioner/pr-x',
      });
      await server.put('PractitionerRole/role-x', {
        resourceType: 'PractitionerRole',
        id: 'role-x',
        active: false,
        practitioner: ref('Practitioner/pr-x'),
        location: [ref('Location/ward-a')],
      });
      expect((await get('Observation/o-unit', other)).status).toBe(403);
    });
  });

  describe('no side doors for a nurse without a relationship', () => {
    it.each([
      ['a search naming no patient', 'Observation', 'patient={id}'],
      ['a search of a stranger', 'Observation?patient=none', 'break-the-glass'],
      ['a compartment search', 'Patient/none/Observation', 'break-the-glass'],
      ['$everything', 'Patient/none/$everything', 'break-the-glass'],
      ['a chain', 'Observation?subject:Patient.name=none', 'patient={id}'],
      ['a chain from a related patient', 'Observation?patient=none&subject.name=none', 'break-the-glass'],
      ['_has on Patient', 'Patient?_has:Observation:subject:code=heart', 'pin it'],
      [
        '_has pinned to a stranger',
        'Patient?_id=none&_has:Observation:subject:code=heart',
        'break-the-glass',
      ],
      ['_revinclude on Patient', 'Patient?name=none&_revinclude=Observation:subject', 'pin it'],
      [
        '_revinclude into another patient',
        'Encounter?patient=care&_revinclude=Observation:encounter',
        'Patient/none',
      ],
      ['instance history', 'Observation/o-none/_history', 'break-the-glass'],
      ['type history', 'Observation/_history', 'one patient at a time'],
      ['system history', '_history', 'not allow'],
      ['system search', '?_type=Observation', 'one patient at a time'],
      ['a type it may not read', 'Patient?name=none&_revinclude=Coverage:beneficiary', 'may not read'],
      ['bulk export', 'Patient/$export', 'not allow'],
    ])('%s: GET %s → 403', async (_what, path, says) => {
      const res = await get(path);
      expect(res.status, res.text).toBe(403);
      expect(outcomeText(res)).toContain(says);
    });

    it('the same reaching searches work for a related patient', async () => {
      expect((await get('Patient?_id=care&_has:Observation:subject:code=heart')).status).toBe(200);
      expect((await get('Patient?_id=care&_revinclude=Observation:subject')).status).toBe(200);
      expect((await get('Observation?patient=care&_include=Observation:subject')).status).toBe(200);
    });

    it('checks every transaction entry, and stores nothing when one fails', async () => {
      const bundle = (entries: unknown[]) => ({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: entries,
      });
      const write = {
        resource: obs('o-new-care', 'care'),
        request: { method: 'PUT', url: 'Observation/o-new-care' },
      };
      for (const bad of [
        { request: { method: 'GET', url: 'Observation/o-none' } },
        { resource: obs('x', 'none'), request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'GET', url: 'Observation?patient=care&_include=Observation:subject' } },
      ]) {
        const res = await server.request('POST', '', { token: nurse, json: bundle([write, bad]) });
        expect(res.status, res.text).toBe(403);
        expect(outcomeText(res)).toContain('Bundle.entry[1]');
      }
      expect((await server.get('Observation/o-new-care')).status).toBe(404);
      const ok = await server.request('POST', '', {
        token: nurse,
        json: bundle([write, { request: { method: 'GET', url: 'Observation/o-care' } }]),
      });
      expect(ok.status, ok.text).toBe(200);
    });

    it('answers a batch entry by entry', async () => {
      const res = await server.request('POST', '', {
        token: nurse,
        json: {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [
            { request: { method: 'GET', url: 'Observation/o-care' } },
            { request: { method: 'GET', url: 'Observation/o-none' } },
          ],
        },
      });
      expect(res.status).toBe(200);
      expect((res.body as Bundle).entry?.map((e) => e.response?.status.slice(0, 3))).toEqual(['200', '403']);
    });

    it("cannot move a related patient's record to a stranger", async () => {
      const res = await server.request('PUT', 'Observation/o-care', {
        token: nurse,
        json: obs('o-care', 'none'),
      });
      expect(res.status).toBe(403);
    });
  });

  describe('break-the-glass', () => {
    const btg = (patient: string, reason?: unknown, token = nurse) =>
      server.request('POST', `Patient/${patient}/$break-the-glass`, {
        token,
        json: {
          resourceType: 'Parameters',
          parameter: reason === undefined ? [] : [{ name: 'reason', valueString: reason }],
        },
      });

    it('needs a meaningful reason (400) and a clinical role (403)', async () => {
      expect((await btg('none')).status).toBe(400);
      const short = await btg('none', 'because');
      expect(short.status).toBe(400);
      expect(outcomeText(short)).toContain('at least 20 characters');
      expect((await btg('none', 'emergency emergency emergency')).status).toBe(400);
      expect((await btg('none', 'x'.repeat(30))).status).toBe(400);
      expect((await btg('none', 'Unconscious patient in ED, no care team yet', admin)).status).toBe(403);
      expect((await btg('nobody-here', 'Unconscious patient in ED, no care team yet')).status).toBe(404);
    });

    it('grants time-limited access, marks it as emergency, and lists it for review', async () => {
      expect((await get('Observation/o-none')).status).toBe(403);
      const granted = await btg('none', 'Unconscious patient in ED, no care team yet');
      expect(granted.status, granted.text).toBe(201);
      const params = (
        granted.body as unknown as { parameter: { name: string; valueId?: string; valueInstant?: string }[] }
      ).parameter;
      const grantId = params.find((p) => p.name === 'grant')?.valueId;
      const expires = Date.parse(params.find((p) => p.name === 'expires')?.valueInstant ?? '');
      expect(expires - Date.now()).toBeGreaterThan(3500_000);
      expect(expires - Date.now()).toBeLessThanOrEqual(3600_000);

      expect((await get('Observation/o-none')).status).toBe(200);
      expect((await get('Patient/none/$everything')).status).toBe(200);

      // …and the AuditEvent of an access under the grant says so: purpose of use BTG, the reason.
      const trail = await server.get('AuditEvent?entity=Patient/none&subtype=read&_sort=-date&_count=1');
      const event = (trail.body as unknown as { entry?: { resource: Record<string, unknown> }[] }).entry?.[0]
        ?.resource as { agent: { purposeOfUse?: { coding: { code: string }[]; text?: string }[] }[] };
      const purposes = event.agent.flatMap((a) => a.purposeOfUse ?? []);
      expect(purposes.flatMap((p) => p.coding.map((c) => c.code))).toContain('BTG');
      expect(JSON.stringify(purposes)).toContain('Unconscious patient in ED');

      // The decision travels on the response for the audit record.
      const access: AccessContext = accessFromScope(
        { kind: 'user', subject: 'u-nurse', roles: ['nurse'], fhirUser: 'Practitioner/pr-n' },
        'user/*.cruds',
      );
      const response = await handleFhirRequest(
        {
          method: 'GET',
          segments: ['Observation', 'o-none'],
          query: new URLSearchParams(),
          headers: {},
          body: undefined,
        },
        {
          repository: server.repository,
          baseUrl: testBaseUrl,
          logger: console,
          access,
          patientAccess: createPatientAccess(db, { cacheMs: 0 }),
        },
      );
      expect(response.emergency).toMatchObject({
        grantId,
        patient: 'none',
        reason: 'Unconscious patient in ED, no care team yet',
      });

      // Review: only it-admin lists and reviews.
      expect(
        (await server.request('GET', '/auth/emergency-access?reviewed=false', { token: nurse })).status,
      ).toBe(403);
      const list = await server.request('GET', '/auth/emergency-access?reviewed=false', { token: admin });
      expect(list.status).toBe(200);
      const grants = (JSON.parse(list.text) as { grants: { id: string; user: string; patient: string }[] })
        .grants;
      expect(grants).toContainEqual(
        expect.objectContaining({ id: grantId, user: 'u-nurse', patient: 'none' }),
      );
      const reviewed = await server.request('POST', `/auth/emergency-access/${grantId}/review`, {
        token: admin,
        json: { note: 'ED admission confirmed' },
      });
      expect(reviewed.status, reviewed.text).toBe(200);
      expect(JSON.parse(reviewed.text)).toMatchObject({
        reviewedBy: 'u-admin',
        reviewNote: 'ED admission confirmed',
      });
      const after = JSON.parse(
        (await server.request('GET', '/auth/emergency-access?reviewed=false', { token: admin })).text,
      );
      expect(after.grants.map((g: { id: string }) => g.id)).not.toContain(grantId);
      expect(
        (await server.request('POST', '/auth/emergency-access/nope/review', { token: admin, json: {} }))
          .status,
      ).toBe(404);

      // Expired: access ends.
      await db.query(
        "UPDATE auth_emergency_access SET granted_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = $1",
        [grantId],
      );
      const expired = await get('Observation/o-none');
      expect(expired.status).toBe(403);
      expect(outcomeText(expired)).toContain('$break-the-glass');
    });
  });

  it('backend clients keep scope-only rules', async () => {
    expect((await server.get('Observation?_type=Observation')).status).toBeLessThan(500);
    expect((await server.get('Observation')).status).toBe(200);
    expect((await server.get('_history')).status).toBe(200);
  });
});
