import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServers } from '../../testing/test-server.js';
import type { Role } from '../users/roles.js';

/**
 * The permission matrix: role × resource type × interaction → allowed (2xx) or denied (403),
 * through the real server with real user tokens (`user/*.cruds`, so the role decides). The
 * clinical roles are on the care team of Patient `m-p1`, whose data every request touches.
 * Letters per role: c create, r read, u update, d delete, s search; a missing letter is a 403.
 * A portal patient's `s` is the search pinned to its own record (`Observation?patient=m-p1`),
 * inside its compartment; its instance reads go through `Patient/m-p1/{type}`.
 */
const matrix: Record<string, Record<Role, string>> = {
  // prettier-ignore
  Patient: {
    registrar: 'cruds',
    nurse: 'rus',
    physician: 'rus',
    pharmacist: 'rs',
    'lab-tech': 'rs',
    'radiology-tech': 'rs',
    biller: 'rs',
    coder: 'rs',
    supply: '',
    biomed: '',
    'interface-analyst': '',
    'it-admin': '',
    patient: 'r',
  },
  Encounter: {
    registrar: 'crus',
    nurse: 'rus',
    physician: 'crus',
    pharmacist: 'rs',
    'lab-tech': 'rs',
    'radiology-tech': 'rs',
    biller: 'rs',
    coder: 'rs',
    supply: '',
    biomed: '',
    'interface-analyst': '',
    'it-admin': '',
    patient: 'rs',
  },
  Observation: {
    registrar: '',
    nurse: 'crus',
    physician: 'cruds',
    pharmacist: 'rs',
    'lab-tech': 'crus',
    'radiology-tech': 'crus',
    biller: '',
    coder: '',
    supply: '',
    biomed: '',
    'interface-analyst': '',
    'it-admin': '',
    patient: 'rs',
  },
  MedicationRequest: {
    registrar: '',
    nurse: 'crus',
    physician: 'cruds',
    pharmacist: 'crus',
    'lab-tech': '',
    'radiology-tech': '',
    biller: '',
    coder: '',
    supply: '',
    biomed: '',
    'interface-analyst': '',
    'it-admin': '',
    patient: 'rs',
  },
  Condition: {
    registrar: '',
    nurse: 'crus',
    physician: 'cruds',
    pharmacist: 'rs',
    'lab-tech': '',
    'radiology-tech': '',
    biller: '',
    coder: '',
    supply: '',
    biomed: '',
    'interface-analyst': '',
    'it-admin': '',
    patient: 'rs',
  },
  Coverage: {
    registrar: 'crus',
    nurse: '',
    physician: '',
    pharmacist: '',
    'lab-tech': '',
    'radiology-tech': '',
    biller: 'cruds',
    coder: 'rus',
    supply: '',
    biomed: '',
    'interface-analyst': '',
    'it-admin': '',
    patient: 'rs',
  },
  Appointment: {
    registrar: 'cruds',
    nurse: 'rs',
    physician: 'rs',
    pharmacist: '',
    'lab-tech': '',
    'radiology-tech': '',
    biller: '',
    coder: '',
    supply: '',
    biomed: '',
    'interface-analyst': '',
    'it-admin': '',
    patient: 'rs',
  },
  Device: {
    registrar: '',
    nurse: 'rs',
    physician: 'rs',
    pharmacist: '',
    'lab-tech': '',
    'radiology-tech': '',
    biller: '',
    coder: '',
    supply: 'cruds',
    biomed: 'cruds',
    'interface-analyst': '',
    'it-admin': '',
    patient: '',
  },
  AuditEvent: {
    registrar: '',
    nurse: '',
    physician: '',
    pharmacist: '',
    'lab-tech': '',
    'radiology-tech': '',
    biller: '',
    coder: '',
    supply: '',
    biomed: '',
    'interface-analyst': '',
    'it-admin': 'rs',
    patient: '',
  },
  Location: {
    registrar: 'rs',
    nurse: 'rs',
    physician: 'rs',
    pharmacist: 'rs',
    'lab-tech': 'rs',
    'radiology-tech': 'rs',
    biller: 'rs',
    coder: 'rs',
    supply: 'rs',
    biomed: 'rs',
    'interface-analyst': 'rs',
    'it-admin': 'cruds',
    patient: '',
  },
};

const patient = { reference: 'Patient/m-p1' };
/** A valid instance of each type in the matrix, belonging to Patient m-p1 where it can. */
const samples: Record<string, Resource> = {
  Patient: { resourceType: 'Patient', name: [{ family: 'Matrix' }] },
  Encounter: {
    resourceType: 'Encounter',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    subject: patient,
  },
  Observation: { resourceType: 'Observation', status: 'final', code: { text: 'pulse' }, subject: patient },
  MedicationRequest: {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: 'paracetamol' },
    subject: patient,
  },
  Condition: { resourceType: 'Condition', code: { text: 'asthma' }, subject: patient },
  Coverage: {
    resourceType: 'Coverage',
    status: 'active',
    beneficiary: patient,
    payor: [{ reference: 'Organization/m-o1' }],
  },
  Appointment: {
    resourceType: 'Appointment',
    status: 'booked',
    participant: [{ actor: patient, status: 'accepted' }],
  },
  Device: { resourceType: 'Device', status: 'active' },
  AuditEvent: {
    resourceType: 'AuditEvent',
    type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110' },
    recorded: '2026-01-01T00:00:00Z',
    agent: [{ requestor: true, who: { reference: 'Practitioner/pr-physician' } }],
    source: { observer: { reference: 'Organization/m-o1' } },
  } as Resource,
  Location: { resourceType: 'Location', name: 'Ward M' },
};
/** The search each type is tried with (pinned to the patient where the type has one). */
const searches: Record<string, string> = {
  Patient: 'Patient?name=Matrix',
  Location: 'Location?name=Ward',
  Device: 'Device?status=active',
  AuditEvent: 'AuditEvent?agent=Practitioner/pr-physician',
};

const roles = Object.keys(matrix.Patient) as Role[];
const interactions = ['c', 'r', 'u', 'd', 's'] as const;
const cases = Object.entries(matrix).flatMap(([type, byRole]) =>
  roles.flatMap((role) => interactions.map((i) => ({ type, role, i, allowed: byRole[role].includes(i) }))),
);

describe.each(testServers())('the role permission matrix on $name', ({ start }) => {
  let server: TestServer;
  const tokens = new Map<Role, string>();
  /** AuditEvents cannot be PUT (append-only): theirs is POSTed and its id kept here. */
  const createdIds = new Map<string, string>();
  const fixtureId = (type: string) =>
    createdIds.get(type) ?? (type === 'Patient' ? 'm-p1' : `m-${type.toLowerCase()}`);

  beforeAll(async () => {
    server = await start();
    await server.put('Organization/m-o1', { resourceType: 'Organization', id: 'm-o1', name: 'Payer' });
    for (const role of roles) {
      if (role === 'patient') continue;
      await server.put(`Practitioner/pr-${role}`, { resourceType: 'Practitioner', id: `pr-${role}` });
    }
    for (const [type, sample] of Object.entries(samples)) {
      if (type === 'AuditEvent') {
        createdIds.set(type, (await server.create(sample)).id!);
        continue;
      }
      const res = await server.put(`${type}/${fixtureId(type)}`, { ...sample, id: fixtureId(type) });
      expect(res.status, res.text).toBe(201);
    }
    await server.put('CareTeam/m-team', {
      resourceType: 'CareTeam',
      id: 'm-team',
      status: 'active',
      subject: patient,
      participant: roles
        .filter((r) => r !== 'patient')
        .map((r) => ({ member: { reference: `Practitioner/pr-${r}` } })),
    });
    for (const role of roles) {
      tokens.set(
        role,
        role === 'patient'
          ? await server.authority.token('patient/*.rs', {
              sub: 'u-patient',
              client_id: 'portal',
              roles: ['patient'],
              fhirUser: 'Patient/m-p1',
              patient: 'm-p1',
            })
          : await server.authority.token('user/*.cruds', {
              sub: `u-${role}`,
              client_id: 'chart',
              roles: [role],
              fhirUser: `Practitioner/pr-${role}`,
            }),
      );
    }
  });
  afterAll(async () => server?.close());

  it.each(cases)('$role $i $type → allowed: $allowed', async ({ type, role, i, allowed }) => {
    const token = tokens.get(role);
    const sample = samples[type];
    let res: Awaited<ReturnType<TestServer['request']>>;
    switch (i) {
      case 'c':
        res = await server.request('POST', type, { token, json: sample });
        break;
      case 'r':
        res = await server.request('GET', `${type}/${fixtureId(type)}`, { token });
        break;
      case 'u':
        res = await server.request('PUT', `${type}/${fixtureId(type)}`, {
          token,
          json: { ...sample, id: fixtureId(type) },
        });
        break;
      case 'd': {
        const victim = await server.create(sample);
        res = await server.request('DELETE', `${type}/${victim.id}`, { token });
        break;
      }
      case 's':
        res = await server.request('GET', searches[type] ?? `${type}?patient=m-p1`, { token });
        break;
    }
    if (type === 'AuditEvent' && (i === 'u' || i === 'd')) {
      // The trail is append-only for everyone: refused before any role is looked at.
      expect(res.status, res.text).toBe(405);
    } else if (allowed) expect(res.status, res.text).toBeLessThan(300);
    else {
      expect(res.status, res.text).toBe(403);
      expect(res.body?.resourceType).toBe('OperationOutcome');
    }
  });

  it("a patient reads its own resources by id, never another patient's; a missing id is 404", async () => {
    const token = tokens.get('patient');
    await server.put('Patient/m-p2', { resourceType: 'Patient', id: 'm-p2', name: [{ family: 'Other' }] });
    const theirs = await server.create({ ...samples.Observation, subject: { reference: 'Patient/m-p2' } });
    const refused = await server.request('GET', `Observation/${theirs.id}`, { token });
    expect(refused.status, refused.text).toBe(403);
    expect(refused.text).toContain('Patient/m-p1');
    expect(refused.text).not.toContain('pulse'); // nothing of the resource is sent
    expect((await server.request('GET', 'Observation/m-nothing-here', { token })).status).toBe(404);
    const own = await server.request('GET', `Observation/${fixtureId('Observation')}`, { token });
    expect(own.status, own.text).toBe(200);
    // an older version could have belonged to someone else: history and vread stay closed
    const vread = await server.request('GET', `Observation/${fixtureId('Observation')}/_history/1`, {
      token,
    });
    expect(vread.status).toBe(403);
  });
});
