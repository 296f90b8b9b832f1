import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRestEvent } from '../../audit/build-event.js';
import { internalAccess } from '../../auth/tokens/access-context.js';
import { testObservation, testPatient } from '../../testing/fixtures.js';
import { type TestServer, testServers } from '../../testing/test-server.js';

interface Part {
  name: string;
  part?: Part[];
  valueReference?: { reference?: string; identifier?: { value?: string } };
  valueString?: string;
  valueInteger?: number;
  valueBoolean?: boolean;
  valueCode?: string;
  valueInstant?: string;
}

const value = (parts: Part[] | undefined, name: string) => parts?.find((p) => p.name === name);

describe.each(testServers())('Patient/$who-viewed on $name', ({ start }) => {
  let s: TestServer;
  let patientId: string;
  let otherId: string;
  let doctor: string;
  let nurse: string;

  beforeAll(async () => {
    s = await start();
    patientId = (await s.create(testPatient())).id as string;
    otherId = (await s.create(testPatient())).id as string;
    await s.create(testObservation(`Patient/${patientId}`));
    // The doctor attends the patient's stay; the nurse has no relationship with either patient.
    await s.create({
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patientId}` },
      participant: [{ individual: { reference: 'Practitioner/doc' } }],
    });
    doctor = await s.authority.token('user/*.rs', {
      sub: 'u-doc',
      client_id: 'chart',
      roles: ['physician'],
      fhirUser: 'Practitioner/doc',
    });
    nurse = await s.authority.token('user/*.rs', { sub: 'u-nurse', client_id: 'mar', roles: ['nurse'] });
    await s.request('GET', `Patient/${patientId}`, { token: doctor });
    await s.request('GET', `Observation?subject=Patient/${patientId}`, { token: doctor });
    await s.request('GET', `Patient/${patientId}`, { token: nurse });
    await s.request('GET', `Patient/${otherId}`, { token: nurse });
    // clinical data of a patient the nurse has no relationship with: refused, still an access
    await s.request('GET', `Observation?patient=${patientId}`, { token: nurse });
    // an emergency access recorded by another system (break the glass)
    const btg = buildRestEvent({
      requester: { access: internalAccess, emergency: { reason: 'unconscious patient' } },
      interaction: 'read',
      action: 'R',
      status: 200,
      patients: [patientId],
      objects: [`Patient/${patientId}`],
      observer: 'http://ed.example/fhir',
    });
    expect((await s.post('AuditEvent', btg)).status).toBe(201);
  });
  afterAll(() => s?.close());

  async function report(query = ''): Promise<Part[]> {
    const res = await s.get(`Patient/${patientId}/$who-viewed${query}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body?.resourceType).toBe('Parameters');
    return (res.body as Resource & { parameter: Part[] }).parameter;
  }

  it('lists each accessor with their accesses, newest first, and flags break-the-glass', async () => {
    const parameters = await report();
    expect(value(parameters, 'patient')?.valueReference?.reference).toBe(`Patient/${patientId}`);
    const accessors = parameters.filter((p) => p.name === 'accessor');
    const byWho = new Map(
      accessors.map((a) => {
        const who = value(a.part, 'who')?.valueReference;
        return [who?.reference ?? who?.identifier?.value, a.part ?? []];
      }),
    );
    const doc = byWho.get('Practitioner/doc');
    expect(value(doc, 'app')?.valueString).toBe('chart');
    expect(value(doc, 'count')?.valueInteger).toBe(2);
    const docAccesses = doc?.filter((p) => p.name === 'access') ?? [];
    expect(docAccesses.map((a) => value(a.part, 'interaction')?.valueCode)).toEqual(['search-type', 'read']);
    expect(value(docAccesses[1].part, 'outcome')?.valueCode).toBe('0');
    expect(value(docAccesses[1].part, 'breakTheGlass')?.valueBoolean).toBe(false);

    const nurseParts = byWho.get('u-nurse');
    expect(value(nurseParts, 'count')?.valueInteger).toBe(2); // not the other patient's read
    const nurseAccesses = nurseParts?.filter((p) => p.name === 'access') ?? [];
    expect(nurseAccesses.map((a) => value(a.part, 'interaction')?.valueCode)).toEqual([
      'search-type',
      'read',
    ]);
    // refused (no relationship): an attempt is an access the report shows
    expect(value(nurseAccesses[0].part, 'outcome')?.valueCode).toBe('4');
    expect(value(nurseAccesses[1].part, 'outcome')?.valueCode).toBe('0');

    const emergency = byWho.get('hospitium');
    const access = emergency?.find((p) => p.name === 'access');
    expect(value(access?.part, 'breakTheGlass')?.valueBoolean).toBe(true);
  });

  it('filters by _since / _until and checks its parameters', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const none = await report(`?_since=${encodeURIComponent(future)}`);
    expect(value(none, 'total')?.valueInteger).toBe(0);
    const all = await report(`?_until=${encodeURIComponent(future)}`);
    expect(value(all, 'total')?.valueInteger).toBeGreaterThanOrEqual(5);
    const bad = await s.get(`Patient/${patientId}/$who-viewed?_since=yesterday`);
    expect(bad.status).toBe(400);
    expect((await s.get('Patient/nobody/$who-viewed')).status).toBe(404);
  });

  it('needs search permission on AuditEvent', async () => {
    const token = await s.authority.token('user/Patient.rs', { sub: 'u-clerk' });
    const res = await s.request('GET', `Patient/${patientId}/$who-viewed`, { token });
    expect(res.status).toBe(403);
  });
});
