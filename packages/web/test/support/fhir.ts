import { randomBytes } from 'node:crypto';

/**
 * A backend client of the test server (`system/*.*`, client credentials), for a journey's Given
 * steps: arranging the record through the same FHIR API an integrator uses, not through the UI
 * under test. Created at start through `HOSPITIUM_BOOTSTRAP_CLIENT`.
 */
export interface FhirAdmin {
  /** Sends one FHIR request (path under `/fhir/`) and returns the parsed body; throws on 4xx/5xx. */
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
}

/** A fresh `id:secret` for the bootstrap client of one test server. */
export function bootstrapClient(): { id: string; secret: string } {
  return { id: 'web-journeys', secret: randomBytes(24).toString('base64url') };
}

export function fhirAdmin(baseUrl: string, client: { id: string; secret: string }): FhirAdmin {
  let token: string | undefined;
  const getToken = async () => {
    if (token) return token;
    const res = await fetch(`${baseUrl}/auth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.*' }),
    });
    if (!res.ok) throw new Error(`The test client could not get a token: ${res.status} ${await res.text()}`);
    token = ((await res.json()) as { access_token: string }).access_token;
    return token;
  };
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${baseUrl}/fhir/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await getToken()}`,
          accept: 'application/fhir+json',
          ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
      return (text ? JSON.parse(text) : {}) as T;
    },
  };
}

interface SearchBundle {
  entry?: { resource?: { id?: string; name?: string; period?: { start?: string } } }[];
}

/**
 * Given a patient (by MRN) is an inpatient on the unit named `unitName`, in its first bed: any
 * encounter in progress (an ED visit) is finished and an in-progress inpatient Encounter at bed,
 * room and unit is written. Directly, for journeys that need someone on a unit (a physician's or
 * a nurse's patients); admitting through the UI is the ADT journeys' job.
 */
export async function placeOnUnit(
  fhir: FhirAdmin,
  mrn: string,
  unitName: string,
): Promise<{ patientId: string; bed: string }> {
  const patients = await fhir.request<SearchBundle>('GET', `Patient?identifier=${encodeURIComponent(mrn)}`);
  const patientId = patients.entry?.[0]?.resource?.id;
  if (!patientId) throw new Error(`No patient with MRN ${mrn}`);
  const units = await fhir.request<SearchBundle>(
    'GET',
    `Location?name:exact=${encodeURIComponent(unitName)}`,
  );
  const unit = units.entry?.[0]?.resource;
  if (!unit?.id) throw new Error(`No unit named ${unitName}`);
  const rooms = await fhir.request<SearchBundle>(
    'GET',
    `Location?partof=Location/${unit.id}&_count=1&_sort=name`,
  );
  const room = rooms.entry?.[0]?.resource;
  if (!room?.id) throw new Error(`${unitName} has no rooms`);
  const beds = await fhir.request<SearchBundle>(
    'GET',
    `Location?partof=Location/${room.id}&_count=1&_sort=name`,
  );
  const bed = beds.entry?.[0]?.resource;
  if (!bed?.id) throw new Error(`${room.name} has no beds`);
  const now = new Date().toISOString();
  const current = await fhir.request<SearchBundle>(
    'GET',
    `Encounter?patient=${patientId}&status=in-progress`,
  );
  for (const entry of current.entry ?? []) {
    const encounter = entry.resource as { id: string; period?: { start?: string } };
    await fhir.request('PUT', `Encounter/${encounter.id}`, {
      ...encounter,
      status: 'finished',
      period: { ...encounter.period, end: now },
    });
  }
  await fhir.request('POST', 'Encounter', {
    resourceType: 'Encounter',
    status: 'in-progress',
    class: {
      system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
      code: 'IMP',
      display: 'inpatient encounter',
    },
    subject: { reference: `Patient/${patientId}` },
    period: { start: now },
    location: [
      {
        location: { reference: `Location/${bed.id}`, display: bed.name },
        status: 'active',
        physicalType: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bd' }],
        },
      },
      { location: { reference: `Location/${room.id}`, display: room.name }, status: 'active' },
      { location: { reference: `Location/${unit.id}`, display: unit.name }, status: 'active' },
    ],
  });
  return { patientId, bed: bed.name ?? bed.id };
}
