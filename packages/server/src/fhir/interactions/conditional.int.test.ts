import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrnToken, testIdentifierSystem, testPatient } from '../../testing/fixtures.js';
import { asBundle, asOutcome, type TestServer, testServers } from '../../testing/test-server.js';

const byMrn = (patient: { identifier: { system: string; value: string }[] }) =>
  `identifier=${encodeURIComponent(mrnToken(patient))}`;

describe.each(testServers())('conditional create, update and delete on $name', ({ start }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s?.close());

  async function countByMrn(patient: { identifier: { system: string; value: string }[] }): Promise<number> {
    const res = await s.get(`Patient?${byMrn(patient)}&_total=accurate`);
    return asBundle(res).total ?? -1;
  }

  it('If-None-Exist: no match creates (201), one match returns it (200) without writing', async () => {
    const patient = testPatient();
    const first = await s.post('Patient', patient, { 'if-none-exist': byMrn(patient) });
    expect(first.status).toBe(201);
    const second = await s.post('Patient', patient, { 'if-none-exist': byMrn(patient) });
    expect(second.status).toBe(200);
    expect(second.body?.id).toBe(first.body?.id);
    expect(second.body?.meta?.versionId).toBe('1');
    expect(second.headers.etag).toBe('W/"1"');
    expect(await countByMrn(patient)).toBe(1);
  });

  it('parallel If-None-Exist creates with the same criteria store exactly one resource', async () => {
    const patient = testPatient();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => s.post('Patient', patient, { 'if-none-exist': byMrn(patient) })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body?.id)).size).toBe(1);
    expect(await countByMrn(patient)).toBe(1);
  });

  it('parallel conditional updates with the same criteria and no match create exactly one resource', async () => {
    const patient = testPatient();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => s.put(`Patient?${byMrn(patient)}`, patient)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(await countByMrn(patient)).toBe(1);
  });

  it('If-None-Exist with several matches → 412 and nothing created', async () => {
    const shared = testPatient();
    await s.create(shared);
    await s.create(shared);
    const res = await s.post('Patient', shared, { 'if-none-exist': byMrn(shared) });
    expect(res.status).toBe(412);
    expect(asOutcome(res).issue[0].code).toBe('multiple-matches');
    expect(await countByMrn(shared)).toBe(2);
  });

  it('If-None-Exist with an unknown parameter → 400, with no parameter → 400', async () => {
    const res = await s.post('Patient', testPatient(), { 'if-none-exist': 'colour=blue' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('colour');
    expect((await s.post('Patient', testPatient(), { 'if-none-exist': '_count=1' })).status).toBe(400);
  });

  it('conditional update: no match creates (201), one match updates it (200), several → 412', async () => {
    const patient = testPatient();
    const created = await s.put(`Patient?${byMrn(patient)}`, patient);
    expect(created.status).toBe(201);
    const id = created.body?.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const updated = await s.put(`Patient?${byMrn(patient)}`, { ...patient, active: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, active: false, meta: { versionId: '2' } });

    const shared = testPatient();
    await s.create(shared);
    await s.create(shared);
    const many = await s.put(`Patient?${byMrn(shared)}`, { ...shared, active: false });
    expect(many.status).toBe(412);
  });

  it('conditional update with a client id: used on create, must agree with the match', async () => {
    const patient = testPatient({ id: `cond-${randomUUID().slice(0, 8)}` });
    const created = await s.put(`Patient?${byMrn(patient)}`, patient);
    expect(created.status).toBe(201);
    expect(created.body?.id).toBe(patient.id);
    const wrong = await s.put(`Patient?${byMrn(patient)}`, { ...patient, id: 'someone-else' });
    expect(wrong.status).toBe(400);

    // No match, but the client id belongs to a live resource the criteria did not select.
    const bystander = await s.create(testPatient());
    const stranger = testPatient({ id: bystander.id });
    const clash = await s.put(`Patient?${byMrn(stranger)}`, stranger);
    expect(clash.status).toBe(409);
    expect((await s.get(`Patient/${bystander.id}`)).body?.meta?.versionId).toBe('1');
  });

  it('conditional delete removes the single match; several → 412; none → 204', async () => {
    const patient = testPatient();
    const created = await s.create(patient);
    const res = await s.delete(`Patient?${byMrn(patient)}`);
    expect(res.status).toBe(204);
    expect((await s.get(`Patient/${created.id}`)).status).toBe(410);

    const shared = testPatient();
    const a = await s.create(shared);
    await s.create(shared);
    expect((await s.delete(`Patient?${byMrn(shared)}`)).status).toBe(412);
    expect((await s.get(`Patient/${a.id}`)).status).toBe(200);

    expect((await s.delete(`Patient?identifier=${testIdentifierSystem}|${randomUUID()}`)).status).toBe(204);
  });

  it('a conditional operation without criteria is refused', async () => {
    expect((await s.delete('Patient')).status).toBe(400);
    expect((await s.put('Patient', testPatient())).status).toBe(400);
  });
});
