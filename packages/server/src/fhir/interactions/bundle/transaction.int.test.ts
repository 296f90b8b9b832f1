import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrnToken, testObservation, testPatient } from '../../../testing/fixtures.js';
import {
  asBundle,
  asOutcome,
  outcomeText,
  type TestServer,
  testBaseUrl,
  testServers,
} from '../../../testing/test-server.js';

function transaction(entry: BundleEntry[]): Bundle {
  return { resourceType: 'Bundle', type: 'transaction', entry };
}
const post = (resource: Resource, fullUrl?: string, extra: Record<string, string> = {}): BundleEntry => ({
  ...(fullUrl ? { fullUrl } : {}),
  resource,
  request: { method: 'POST', url: resource.resourceType, ...extra },
});

describe.each(testServers())('transaction bundles on $name', ({ start }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s?.close());

  const countMrn = async (patient: { identifier: { system: string; value: string }[] }) =>
    asBundle(await s.get(`Patient?identifier=${encodeURIComponent(mrnToken(patient))}&_total=accurate`))
      .total;

  it('creates everything, rewrites urn:uuid references and answers a transaction-response', async () => {
    const patientUrn = `urn:uuid:${randomUUID()}`;
    const patient = testPatient();
    const clientId = `tx-${randomUUID().slice(0, 8)}`;
    const res = await s.post(
      '',
      transaction([
        post(testObservation(patientUrn), `urn:uuid:${randomUUID()}`),
        post(patient, patientUrn),
        {
          fullUrl: `${testBaseUrl}/Encounter/${clientId}`,
          resource: {
            resourceType: 'Encounter',
            id: clientId,
            status: 'finished',
            class: { code: 'AMB' },
            subject: { reference: patientUrn },
          },
          request: { method: 'PUT', url: `Encounter/${clientId}` },
        },
      ]),
    );
    expect(res.status).toBe(200);
    const bundle = asBundle(res);
    expect(bundle.type).toBe('transaction-response');
    const [obs, pat, enc] = bundle.entry ?? [];
    const patientId = pat.resource?.id;
    expect(pat.response).toMatchObject({
      status: '201 Created',
      location: `Patient/${patientId}/_history/1`,
      etag: 'W/"1"',
      lastModified: pat.resource?.meta?.lastUpdated,
    });
    expect(pat.fullUrl).toBe(`${testBaseUrl}/Patient/${patientId}`);
    expect(obs.response?.status).toBe('201 Created');
    expect(enc.response).toMatchObject({
      status: '201 Created',
      location: `Encounter/${clientId}/_history/1`,
    });

    const storedObs = await s.get(`Observation/${obs.resource?.id}`);
    expect(storedObs.body?.subject).toEqual({ reference: `Patient/${patientId}` });
    const storedEnc = await s.get(`Encounter/${clientId}`);
    expect(storedEnc.body?.subject).toEqual({ reference: `Patient/${patientId}` });
    expect((await s.get(`Observation?subject=Patient/${patientId}`)).body).toMatchObject({ entry: [{}] });
  });

  it('processes DELETE, POST, PUT, GET in that order whatever the bundle order', async () => {
    const old = await s.create(testPatient());
    const patient = testPatient();
    const res = await s.post(
      '',
      transaction([
        { request: { method: 'GET', url: `Patient?identifier=${encodeURIComponent(mrnToken(patient))}` } },
        { resource: { ...old, active: false }, request: { method: 'PUT', url: `Patient/${old.id}` } },
        post(patient),
        { request: { method: 'DELETE', url: `Organization/${randomUUID()}` } },
      ]),
    );
    expect(res.status).toBe(200);
    const [get, put, created, del] = asBundle(res).entry ?? [];
    expect(get.response?.status).toBe('200 OK');
    expect((get.resource as Bundle).entry?.map((e) => e.resource?.id)).toEqual([created.resource?.id]);
    expect(put.response).toMatchObject({ status: '200 OK', etag: 'W/"2"' });
    expect(del.response?.status).toBe('204 No Content');
  });

  it('one bad entry fails the whole bundle with an outcome naming it, and nothing is stored', async () => {
    const good = testPatient();
    const bad = testPatient({ birthDate: 'not-a-date' });
    const res = await s.post(
      '',
      transaction([post(good), post(testPatient()), post(bad), post(testObservation('Patient/x'))]),
    );
    expect(res.status).toBe(400);
    const outcome = asOutcome(res);
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcomeText(res)).toContain('Bundle.entry[2]');
    expect(JSON.stringify(outcome.issue.map((i) => i.expression))).toContain('Bundle.entry[2]');
    expect(await countMrn(good)).toBe(0);
    expect(await countMrn(bad)).toBe(0);
  });

  it('a failing PUT after successful POSTs rolls the POSTs back', async () => {
    const existing = await s.create(testPatient());
    const fresh = testPatient();
    const res = await s.post(
      '',
      transaction([
        post(fresh),
        { resource: existing, request: { method: 'PUT', url: `Patient/${existing.id}`, ifMatch: 'W/"7"' } },
      ]),
    );
    expect(res.status).toBe(412);
    expect(outcomeText(res)).toContain('Bundle.entry[1]');
    expect(await countMrn(fresh)).toBe(0);
    expect((await s.get(`Patient/${existing.id}`)).body?.meta?.versionId).toBe('1');
  });

  it('resolves conditional references to exactly one match (none → 400, several → 412)', async () => {
    const patient = testPatient();
    const target = await s.create(patient);
    const ok = await s.post(
      '',
      transaction([post(testObservation(`Patient?identifier=${mrnToken(patient)}`))]),
    );
    expect(ok.status).toBe(200);
    const obsId = asBundle(ok).entry?.[0].resource?.id;
    expect((await s.get(`Observation/${obsId}`)).body?.subject).toEqual({
      reference: `Patient/${target.id}`,
    });

    const none = await s.post(
      '',
      transaction([post(testObservation('Patient?identifier=http://nowhere|0'))]),
    );
    expect(none.status).toBe(400);
    expect(outcomeText(none)).toContain('Bundle.entry[0]');

    const twin = testPatient();
    await s.create(twin);
    await s.create(twin);
    const many = await s.post(
      '',
      transaction([post(testObservation(`Patient?identifier=${mrnToken(twin)}`))]),
    );
    expect(many.status).toBe(412);
  });

  it('honours ifNoneExist: a match is reused and references to its fullUrl point at it', async () => {
    const patient = testPatient();
    const existing = await s.create(patient);
    const urn = `urn:uuid:${randomUUID()}`;
    const res = await s.post(
      '',
      transaction([
        post(patient, urn, { ifNoneExist: `identifier=${mrnToken(patient)}` }),
        post(testObservation(urn)),
      ]),
    );
    expect(res.status).toBe(200);
    const [p, o] = asBundle(res).entry ?? [];
    expect(p.response?.status).toBe('200 OK');
    expect(p.resource?.id).toBe(existing.id);
    expect((await s.get(`Observation/${o.resource?.id}`)).body?.subject).toEqual({
      reference: `Patient/${existing.id}`,
    });
    expect(await countMrn(patient)).toBe(1);
  });

  it('conditional PUT entries resolve before references are rewritten', async () => {
    const patient = testPatient();
    const urn = `urn:uuid:${randomUUID()}`;
    const res = await s.post(
      '',
      transaction([
        post(testObservation(urn)),
        {
          fullUrl: urn,
          resource: patient,
          request: { method: 'PUT', url: `Patient?identifier=${mrnToken(patient)}` },
        },
      ]),
    );
    expect(res.status).toBe(200);
    const [o, p] = asBundle(res).entry ?? [];
    expect(p.response?.status).toBe('201 Created');
    expect((await s.get(`Observation/${o.resource?.id}`)).body?.subject).toEqual({
      reference: `Patient/${p.resource?.id}`,
    });
  });

  it('the same resource twice → 400', async () => {
    const existing = await s.create(testPatient());
    const res = await s.post(
      '',
      transaction([
        { resource: existing, request: { method: 'PUT', url: `Patient/${existing.id}` } },
        { request: { method: 'DELETE', url: `Patient/${existing.id}` } },
      ]),
    );
    expect(res.status).toBe(400);
    expect(outcomeText(res)).toContain('Bundle.entry[0]');
    expect((await s.get(`Patient/${existing.id}`)).status).toBe(200);
    const urn = `urn:uuid:${randomUUID()}`;
    const dupUrn = await s.post('', transaction([post(testPatient(), urn), post(testPatient(), urn)]));
    expect(dupUrn.status).toBe(400);
  });

  it('a reference to a urn no entry declares → 400', async () => {
    const res = await s.post('', transaction([post(testObservation(`urn:uuid:${randomUUID()}`))]));
    expect(res.status).toBe(400);
    expect(outcomeText(res)).toContain('does not match the fullUrl');
  });

  it('PATCH entries carry a JSON Patch in a Binary', async () => {
    const existing = await s.create(testPatient());
    const ops = [{ op: 'replace', path: '/active', value: false }];
    const res = await s.post(
      '',
      transaction([
        {
          resource: {
            resourceType: 'Binary',
            contentType: 'application/json-patch+json',
            data: Buffer.from(JSON.stringify(ops)).toString('base64'),
          },
          request: { method: 'PATCH', url: `Patient/${existing.id}` },
        },
      ]),
    );
    expect(res.status).toBe(200);
    expect(asBundle(res).entry?.[0].response).toMatchObject({ status: '200 OK', etag: 'W/"2"' });
    expect((await s.get(`Patient/${existing.id}`)).body?.active).toBe(false);
  });

  it('Prefer: return=minimal leaves resources out of the response entries', async () => {
    const res = await s.post('', transaction([post(testPatient())]), { prefer: 'return=minimal' });
    const entry = asBundle(res).entry?.[0];
    expect(entry?.resource).toBeUndefined();
    expect(entry?.response?.location).toMatch(/^Patient\/[0-9a-f-]{36}\/_history\/1$/);
  });

  it('refuses bundles that are not transaction or batch, and non-bundles', async () => {
    const collection = await s.post('', { resourceType: 'Bundle', type: 'collection', entry: [] });
    expect(collection.status).toBe(400);
    expect(outcomeText(collection)).toContain('collection');
    expect((await s.post('', testPatient())).status).toBe(400);
    const empty = await s.post('', transaction([]));
    expect(empty.status).toBe(200);
    expect(asBundle(empty).type).toBe('transaction-response');
    const broken = await s.post(
      '',
      transaction([{ request: { method: 'POST', url: 'Patient' } } as BundleEntry]),
    );
    expect(broken.status).toBe(400);
    expect(outcomeText(broken)).toContain('Bundle.entry[0]');
  });

  it('a collection Bundle can be stored as a resource with POST /fhir/Bundle', async () => {
    const res = await s.post('Bundle', {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ fullUrl: 'urn:uuid:1', resource: testPatient() }],
    });
    expect(res.status).toBe(201);
    expect((await s.get(`Bundle/${res.body?.id}`)).body?.type).toBe('collection');
  });
});
