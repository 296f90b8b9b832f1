import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrnToken, testObservation, testPatient } from '../../../testing/fixtures.js';
import { asBundle, type TestServer, testServers } from '../../../testing/test-server.js';

const batch = (entry: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'batch', entry });

describe.each(testServers())('batch bundles on $name', ({ start }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s?.close());

  it('runs entries independently: failures get their own status and outcome, the rest is stored', async () => {
    const good = testPatient();
    const existing = await s.create(testPatient());
    const res = await s.post(
      '',
      batch([
        { resource: good, request: { method: 'POST', url: 'Patient' } },
        { resource: testPatient({ birthDate: 'soon' }), request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'GET', url: `Patient/${existing.id}` } },
        { request: { method: 'GET', url: 'Patient/missing' } },
        { resource: { resourceType: 'Observation' }, request: { method: 'POST', url: 'Patient' } },
        { request: { method: 'FETCH', url: 'Patient' } } as unknown as BundleEntry,
        { resource: existing, request: { method: 'PUT', url: `Patient/${existing.id}`, ifMatch: 'W/"9"' } },
      ]),
    );
    expect(res.status).toBe(200);
    const bundle = asBundle(res);
    expect(bundle.type).toBe('batch-response');
    const statuses = bundle.entry?.map((e) => e.response?.status);
    expect(statuses).toEqual([
      '201 Created',
      '400 Bad Request',
      '200 OK',
      '404 Not Found',
      '400 Bad Request',
      '400 Bad Request',
      '412 Precondition Failed',
    ]);
    expect(bundle.entry?.[1].response?.outcome?.resourceType).toBe('OperationOutcome');
    expect(bundle.entry?.[2].resource?.id).toBe(existing.id);
    const found = asBundle(await s.get(`Patient?identifier=${encodeURIComponent(mrnToken(good))}`));
    expect(found.entry).toHaveLength(1);
  });

  it('resolves urn:uuid references between POST entries', async () => {
    const urn = `urn:uuid:${randomUUID()}`;
    const res = await s.post(
      '',
      batch([
        { resource: testObservation(urn), request: { method: 'POST', url: 'Observation' } },
        { fullUrl: urn, resource: testPatient(), request: { method: 'POST', url: 'Patient' } },
      ]),
    );
    const [o, p] = asBundle(res).entry ?? [];
    expect(o.response?.status).toBe('201 Created');
    expect((await s.get(`Observation/${o.resource?.id}`)).body?.subject).toEqual({
      reference: `Patient/${p.resource?.id}`,
    });
  });

  it('a bad conditional reference fails only its entry', async () => {
    const res = await s.post(
      '',
      batch([
        {
          resource: testObservation('Patient?identifier=http://nowhere|0'),
          request: { method: 'POST', url: 'Observation' },
        },
        { resource: testPatient(), request: { method: 'POST', url: 'Patient' } },
      ]),
    );
    expect(asBundle(res).entry?.map((e) => e.response?.status)).toEqual(['400 Bad Request', '201 Created']);
  });

  it('conditional create entries report 200 for an existing match', async () => {
    const patient = testPatient();
    await s.create(patient);
    const res = await s.post(
      '',
      batch([
        {
          resource: patient,
          request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${mrnToken(patient)}` },
        },
      ]),
    );
    expect(asBundle(res).entry?.[0].response?.status).toBe('200 OK');
  });
});
