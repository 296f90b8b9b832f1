import { createRepository, testDatabases } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testObservation, testPatient } from '../testing/fixtures.js';
import {
  type FhirResult,
  startTestApp,
  type TestServer,
  testBaseUrl,
  testServers,
} from '../testing/test-server.js';

interface Coded {
  system?: string;
  code?: string;
}
interface AuditEventShape extends Resource {
  type: Coded;
  subtype: Coded[];
  action: string;
  outcome: string;
  agent: {
    who?: { reference?: string; identifier?: { value?: string } };
    requestor: boolean;
    name?: string;
  }[];
  entity?: { what?: { reference?: string }; role?: { code?: string }; query?: string }[];
}

/** What one interaction's AuditEvent must say. */
interface Expected {
  subtype: string;
  action: string;
  outcome: '0' | '4' | '8';
  /** The patient entities (role 1), by id. */
  patients: string[];
  /** The requestor's `who.identifier.value`, or undefined for an unauthenticated request. */
  requestor?: string;
}

function summary(event: AuditEventShape) {
  return {
    type: event.type.code,
    subtype: event.subtype[0]?.code,
    action: event.action,
    outcome: event.outcome,
    patients: (event.entity ?? [])
      .filter((e) => e.role?.code === '1')
      .map((e) => e.what?.reference?.replace('Patient/', ''))
      .sort(),
    requestor: event.agent.find((a) => a.requestor)?.who?.identifier?.value,
  };
}

describe.each(testServers())('audit trail on $name', ({ start }) => {
  let s: TestServer;
  let patientId: string;
  let otherPatientId: string;
  let observationId: string;

  /** The AuditEvents stored while `act` ran (compared by id with those before). */
  async function eventsOf(
    act: () => Promise<FhirResult>,
  ): Promise<{ res: FhirResult; events: AuditEventShape[] }> {
    const all = async () =>
      (await s.repository.search({ resourceType: 'AuditEvent', filters: [], count: 1000 })).resources;
    const before = new Set((await all()).map((r) => r.id));
    const res = await act();
    const events = (await all()).filter((r) => !before.has(r.id)) as AuditEventShape[];
    return { res, events };
  }

  beforeAll(async () => {
    s = await start();
    patientId = (await s.create(testPatient())).id as string;
    otherPatientId = (await s.create(testPatient())).id as string;
    observationId = (await s.create(testObservation(`Patient/${patientId}`))).id as string;
  });
  afterAll(() => s?.close());

  const system = 'test-client';
  const cases: {
    name: string;
    act: () => Promise<FhirResult>;
    status: number;
    expected: () => Expected[];
  }[] = [
    {
      name: 'read',
      act: () => s.get(`Patient/${patientId}`),
      status: 200,
      expected: () => [
        { subtype: 'read', action: 'R', outcome: '0', patients: [patientId], requestor: system },
      ],
    },
    {
      name: 'vread',
      act: () => s.get(`Observation/${observationId}/_history/1`),
      status: 200,
      expected: () => [
        { subtype: 'vread', action: 'R', outcome: '0', patients: [patientId], requestor: system },
      ],
    },
    {
      name: 'search',
      act: () => s.get(`Observation?subject=Patient/${patientId}`),
      status: 200,
      expected: () => [
        { subtype: 'search-type', action: 'E', outcome: '0', patients: [patientId], requestor: system },
      ],
    },
    {
      name: 'history',
      act: () => s.get(`Observation/${observationId}/_history`),
      status: 200,
      expected: () => [
        { subtype: 'history-instance', action: 'E', outcome: '0', patients: [patientId], requestor: system },
      ],
    },
    {
      name: 'create',
      act: () => s.post('Observation', testObservation(`Patient/${otherPatientId}`)),
      status: 201,
      expected: () => [
        { subtype: 'create', action: 'C', outcome: '0', patients: [otherPatientId], requestor: system },
      ],
    },
    {
      name: 'update',
      act: () =>
        s.put(`Observation/${observationId}`, {
          ...testObservation(`Patient/${patientId}`),
          id: observationId,
          status: 'amended',
        }),
      status: 200,
      expected: () => [
        { subtype: 'update', action: 'U', outcome: '0', patients: [patientId], requestor: system },
      ],
    },
    {
      name: 'patch',
      act: () => s.patch(`Patient/${patientId}`, [{ op: 'replace', path: '/active', value: false }]),
      status: 200,
      expected: () => [
        { subtype: 'patch', action: 'U', outcome: '0', patients: [patientId], requestor: system },
      ],
    },
    {
      name: '$everything',
      act: () => s.get(`Patient/${patientId}/$everything`),
      status: 200,
      expected: () => [
        { subtype: 'operation', action: 'E', outcome: '0', patients: [patientId], requestor: system },
      ],
    },
    {
      name: 'not found (404)',
      act: () => s.get('Observation/no-such-observation'),
      status: 404,
      expected: () => [{ subtype: 'read', action: 'R', outcome: '4', patients: [], requestor: system }],
    },
    {
      name: 'forbidden (403)',
      act: async () =>
        s.request('GET', `Patient/${patientId}`, {
          token: await s.authority.token('patient/*.rs', { patient: otherPatientId, client_id: 'portal' }),
        }),
      status: 403,
      expected: () => [
        { subtype: 'read', action: 'R', outcome: '4', patients: [patientId], requestor: 'portal' },
      ],
    },
    {
      name: 'no token (401)',
      act: () => s.request('GET', `Patient/${patientId}`, { token: null }),
      status: 401,
      expected: () => [{ subtype: 'read', action: 'R', outcome: '4', patients: [patientId] }],
    },
    {
      name: 'transaction (one event naming every patient its entries touched)',
      act: () =>
        s.post('', {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            {
              fullUrl: 'urn:uuid:3b5e1d2a-0000-4000-8000-000000000001',
              resource: testObservation(`Patient/${otherPatientId}`),
              request: { method: 'POST', url: 'Observation' },
            },
            { request: { method: 'GET', url: `Patient/${patientId}` } },
          ],
        }),
      status: 200,
      expected: () => [
        {
          subtype: 'transaction',
          action: 'E',
          outcome: '0',
          patients: [otherPatientId, patientId].sort(),
          requestor: system,
        },
      ],
    },
    {
      name: 'delete',
      act: () => s.delete(`Observation/${observationId}`),
      status: 204,
      expected: () => [
        { subtype: 'delete', action: 'D', outcome: '0', patients: [patientId], requestor: system },
      ],
    },
  ];

  it.each(cases)('$name writes exactly its AuditEvent', async ({ act, status, expected }) => {
    const { res, events } = await eventsOf(act);
    expect(res.status, res.text).toBe(status);
    const got = events.map(summary).sort((a, b) => String(a.subtype).localeCompare(String(b.subtype)));
    const want = expected()
      .map((e) => ({ type: 'rest', ...e }))
      .sort((a, b) => a.subtype.localeCompare(b.subtype));
    expect(got).toEqual(want);
  });

  it('names the user by FHIR resource, the app as second agent, and the network address', async () => {
    const token = await s.authority.token('user/*.rs', {
      sub: 'account-7',
      client_id: 'chart-app',
      fhirUser: 'Practitioner/p7',
    });
    const { events } = await eventsOf(() => s.request('GET', `Patient/${patientId}`, { token }));
    expect(events).toHaveLength(1);
    const [user, app] = events[0].agent as Record<string, unknown>[];
    expect(user).toMatchObject({
      who: { reference: 'Practitioner/p7' },
      altId: 'account-7',
      requestor: true,
    });
    expect(user.network).toMatchObject({ address: '127.0.0.1' });
    expect(app).toMatchObject({ who: { identifier: { value: 'chart-app' } }, requestor: false });
    expect(events[0].entity?.find((e) => e.role?.code === '4')?.what?.reference).toBe(`Patient/${patientId}`);
  });

  it('records the search query (base64) and finds events by patient, agent, subtype and date', async () => {
    const { events } = await eventsOf(() => s.get(`Patient?_id=${patientId}&_count=5`));
    const query = events[0].entity?.find((e) => e.role?.code === '24')?.query ?? '';
    expect(Buffer.from(query, 'base64').toString()).toBe(`_id=${patientId}&_count=5`);

    const today = new Date().toISOString().slice(0, 10);
    const found = await s.get(
      `AuditEvent?patient=Patient/${patientId}&subtype=search-type&agent:identifier=urn:hospitium:client|${system}&date=ge${today}&outcome=0`,
    );
    expect(found.status).toBe(200);
    const ids = ((found.body as { entry?: { resource: Resource }[] }).entry ?? []).map((e) => e.resource.id);
    expect(ids).toContain(events[0].id);
  });

  it('a batch audits each entry, including a refused one', async () => {
    const token = await s.authority.token('system/Observation.crs', { client_id: 'feeder' });
    const { res, events } = await eventsOf(() =>
      s.request('POST', '', {
        token,
        json: {
          resourceType: 'Bundle',
          type: 'batch',
          entry: [
            {
              resource: testObservation(`Patient/${patientId}`),
              request: { method: 'POST', url: 'Observation' },
            },
            { request: { method: 'GET', url: `Patient/${otherPatientId}` } },
          ],
        },
      }),
    );
    expect(res.status).toBe(200);
    const got = events.map(summary).map((e) => [e.subtype, e.outcome, e.patients.join()]);
    expect(got.sort()).toEqual(
      [
        ['batch', '0', patientId],
        ['create', '0', patientId],
        ['read', '4', otherPatientId],
      ].sort(),
    );
  });

  it('a failed transaction stores nothing but its own failure event', async () => {
    const { res, events } = await eventsOf(() =>
      s.post('', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: testObservation(`Patient/${patientId}`),
            request: { method: 'POST', url: 'Observation' },
          },
          { request: { method: 'DELETE', url: 'AuditEvent/anything' } },
        ],
      }),
    );
    expect(res.status).toBe(405);
    expect(events.map(summary)).toEqual([
      { type: 'rest', subtype: 'transaction', action: 'E', outcome: '4', patients: [], requestor: system },
    ]);
  });

  it('parallel reads are all recorded, one event each (group commit)', async () => {
    const { res, events } = await eventsOf(async () => {
      const all = await Promise.all(Array.from({ length: 20 }, () => s.get(`Patient/${patientId}`)));
      return all[0];
    });
    expect(res.status).toBe(200);
    expect(events).toHaveLength(20);
    expect(new Set(events.map((e) => summary(e).subtype))).toEqual(new Set(['read']));
  });

  it('marks an emergency access with purposeOfUse BTG', async () => {
    const { buildRestEvent } = await import('./build-event.js');
    const { internalAccess } = await import('../auth/tokens/access-context.js');
    const event = buildRestEvent({
      requester: { access: internalAccess, emergency: { reason: 'patient unconscious in ED' } },
      interaction: 'read',
      action: 'R',
      status: 200,
      patients: [patientId],
      objects: [],
      observer: 'http://test',
    });
    expect(event.purposeOfEvent).toEqual([
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
            code: 'BTG',
            display: 'break the glass',
          },
        ],
        text: 'patient unconscious in ED',
      },
    ]);
    // and it is a valid AuditEvent the store accepts
    const stored = await s.repository.createResource(event);
    expect(stored.id).toBeDefined();
  });
});

describe.each(testDatabases())('read auditing off (raw-store benchmarks only) on $name', ({ open }) => {
  it('records writes and failures but not successful reads', async () => {
    const db = await open();
    const repository = createRepository(db);
    const s = await startTestApp(
      { repository, database: db, config: { baseUrl: testBaseUrl }, audit: { reads: false } },
      () => db.close(),
    );
    try {
      const patient = await s.create(testPatient());
      expect((await s.get(`Patient/${patient.id}`)).status).toBe(200);
      expect((await s.get('Patient/missing')).status).toBe(404);
      const events = (await repository.search({ resourceType: 'AuditEvent', filters: [], count: 100 }))
        .resources as AuditEventShape[];
      expect(events.map((e) => [summary(e).subtype, summary(e).outcome]).sort()).toEqual([
        ['create', '0'],
        ['read', '4'],
      ]);
    } finally {
      await s.close();
    }
  });
});
