import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mrnToken, testPatient } from '../../testing/fixtures.js';
import { asOutcome, outcomeText, type TestServer, testServers } from '../../testing/test-server.js';

describe.each(testServers())('JSON Patch on $name', ({ start }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s?.close());

  it('applies the operations and makes a new version', async () => {
    const created = await s.create(testPatient());
    const res = await s.patch(`Patient/${created.id}`, [
      { op: 'replace', path: '/active', value: false },
      { op: 'add', path: '/name/0/given/-', value: 'Frances' },
      { op: 'remove', path: '/gender' },
    ]);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.body).toMatchObject({
      active: false,
      name: [{ given: ['Florence', 'Frances'] }],
      meta: { versionId: '2' },
    });
    expect(res.body?.gender).toBeUndefined();
    expect((await s.get(`Patient/${created.id}`)).body?.active).toBe(false);
  });

  it('honours If-Match: current applies, stale → 412', async () => {
    const created = await s.create(testPatient());
    const op = [{ op: 'replace', path: '/active', value: false }];
    expect((await s.patch(`Patient/${created.id}`, op, { 'if-match': 'W/"1"' })).status).toBe(200);
    const stale = await s.patch(`Patient/${created.id}`, op, { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);
    expect((await s.get(`Patient/${created.id}`)).body?.meta?.versionId).toBe('2');
  });

  it('invalid operations → 400 and nothing is written', async () => {
    const created = await s.create(testPatient());
    for (const ops of [
      [{ op: 'jump', path: '/active' }],
      [{ op: 'replace', path: '/doesNotExist/0', value: 1 }],
      [{ op: 'add' }],
      { op: 'replace', path: '/active', value: false },
    ]) {
      const res = await s.patch(`Patient/${created.id}`, ops);
      expect(res.status, JSON.stringify(ops)).toBe(400);
      asOutcome(res);
    }
    expect((await s.get(`Patient/${created.id}`)).body?.meta?.versionId).toBe('1');
  });

  it('a failed test operation → 422', async () => {
    const created = await s.create(testPatient());
    const res = await s.patch(`Patient/${created.id}`, [
      { op: 'test', path: '/gender', value: 'male' },
      { op: 'replace', path: '/active', value: false },
    ]);
    expect(res.status).toBe(422);
    expect((await s.get(`Patient/${created.id}`)).body?.active).toBe(true);
  });

  it('cannot change id or resourceType', async () => {
    const created = await s.create(testPatient());
    const id = await s.patch(`Patient/${created.id}`, [{ op: 'replace', path: '/id', value: 'other' }]);
    expect(id.status).toBe(400);
    expect(outcomeText(id)).toContain('id');
    const type = await s.patch(`Patient/${created.id}`, [
      { op: 'replace', path: '/resourceType', value: 'Group' },
    ]);
    expect(type.status).toBe(400);
    expect(asOutcome(type).issue[0].expression).toEqual(['resourceType']);
  });

  it('re-validates the result (a wrong datatype → 400)', async () => {
    const created = await s.create(testPatient());
    const res = await s.patch(`Patient/${created.id}`, [{ op: 'replace', path: '/active', value: 'yes' }]);
    expect(res.status).toBe(400);
    expect((await s.get(`Patient/${created.id}`)).body?.active).toBe(true);
  });

  it('refuses other patch formats (415) and prototype tricks (400)', async () => {
    const created = await s.create(testPatient());
    const fhirpath = await s.request('PATCH', `Patient/${created.id}`, {
      json: { resourceType: 'Parameters', parameter: [] },
    });
    expect(fhirpath.status).toBe(415);
    const proto = await s.patch(`Patient/${created.id}`, [
      { op: 'add', path: '/__proto__/polluted', value: true },
    ]);
    expect(proto.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('patching a missing or deleted resource → 404 / 410', async () => {
    const op = [{ op: 'replace', path: '/active', value: false }];
    expect((await s.patch('Patient/nope', op)).status).toBe(404);
    const created = await s.create(testPatient());
    await s.delete(`Patient/${created.id}`);
    expect((await s.patch(`Patient/${created.id}`, op)).status).toBe(410);
  });

  it('conditional patch updates the single match', async () => {
    const patient = testPatient();
    const created = await s.create(patient);
    const res = await s.patch(`Patient?identifier=${encodeURIComponent(mrnToken(patient))}`, [
      { op: 'replace', path: '/active', value: false },
    ]);
    expect(res.status).toBe(200);
    expect(res.body?.id).toBe(created.id);
    expect((await s.patch('Patient?identifier=http://nowhere|0', [])).status).toBe(404);
  });

  it('concurrent patches without If-Match are all applied (no lost update)', async () => {
    const created = await s.create(testPatient({ name: [{ family: 'Seacole', given: ['Mary'] }] }));
    const results = await Promise.all(
      ['A', 'B', 'C', 'D'].map((g) =>
        s.patch(`Patient/${created.id}`, [{ op: 'add', path: '/name/0/given/-', value: g }]),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const final = await s.get(`Patient/${created.id}`);
    expect(final.body?.meta?.versionId).toBe('5');
    const names = final.body?.name as { given: string[] }[];
    expect([...names[0].given].sort()).toEqual(['A', 'B', 'C', 'D', 'Mary']);
  });
});
