import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testObservation, testPatient } from '../../testing/fixtures.js';
import {
  asBundle,
  outcomeText,
  type TestServer,
  testBaseUrl,
  testServers,
} from '../../testing/test-server.js';

const key = (r: Resource | undefined) => `${r?.resourceType}/${r?.id}`;

describe.each(testServers())('compartment search on $name', ({ start }) => {
  let s: TestServer;
  let alice: Resource;
  let bob: Resource;
  let aliceSubject: Resource;
  let alicePerformer: Resource;
  let bobObs: Resource;

  beforeAll(async () => {
    s = await start();
    alice = await s.create(testPatient());
    bob = await s.create(
      testPatient({ link: [{ other: { reference: 'Patient/placeholder' }, type: 'seealso' }] }),
    );
    aliceSubject = await s.create(testObservation(key(alice)));
    // In Alice's compartment through `performer` only (the subject is Bob).
    alicePerformer = await s.create(
      testObservation(key(bob), { performer: [{ reference: key(alice) }], status: 'amended' }),
    );
    bobObs = await s.create(testObservation(key(bob)));
  });
  afterAll(() => s?.close());

  const ids = async (path: string) => {
    const res = await s.get(path);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    return (asBundle(res).entry ?? []).map((e) => key(e.resource)).sort();
  };

  it('finds resources linked by any compartment parameter (subject OR performer)', async () => {
    expect(await ids(`Patient/${alice.id}/Observation`)).toEqual(
      [key(aliceSubject), key(alicePerformer)].sort(),
    );
    expect(await ids(`Patient/${bob.id}/Observation`)).toEqual([key(alicePerformer), key(bobObs)].sort());
  });

  it('applies the other search parameters on top, and pages under the compartment path', async () => {
    expect(await ids(`Patient/${alice.id}/Observation?status=amended`)).toEqual([key(alicePerformer)]);
    const res = await s.get(`Patient/${alice.id}/Observation?_count=1&_total=accurate`);
    const bundle = asBundle(res);
    expect(bundle.total).toBe(2);
    const next = bundle.link?.find((l) => l.relation === 'next')?.url ?? '';
    expect(next.startsWith(`${testBaseUrl}/Patient/${alice.id}/Observation?`)).toBe(true);
    const second = asBundle(await s.get(next.slice(testBaseUrl.length + 1)));
    expect(second.entry).toHaveLength(1);
    expect(key(second.entry?.[0].resource)).not.toBe(key(bundle.entry?.[0].resource));
  });

  it('a patient is in its own compartment; includes work too', async () => {
    expect(await ids(`Patient/${alice.id}/Patient`)).toEqual([key(alice)]);
    const res = await s.get(`Patient/${alice.id}/Observation?_include=Observation:subject&status=final`);
    expect(asBundle(res).entry?.map((e) => [e.search?.mode, key(e.resource)])).toEqual([
      ['match', key(aliceSubject)],
      ['include', key(alice)],
    ]);
  });

  it('POST …/_search with a form body equals GET', async () => {
    const post = await s.request('POST', `Patient/${alice.id}/Observation/_search`, {
      raw: 'status=amended',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(200);
    expect(asBundle(post).entry?.map((e) => key(e.resource))).toEqual([key(alicePerformer)]);
  });

  it('an unknown patient has an empty compartment; bad input is a 400', async () => {
    expect(await ids('Patient/nobody/Observation')).toEqual([]);
    const notInCompartment = await s.get(`Patient/${alice.id}/Organization`);
    expect(notInCompartment.status).toBe(400);
    expect(outcomeText(notInCompartment)).toContain('not in the Patient compartment');
    const other = await s.get(`Organization/x/Patient`);
    expect(other.status).toBe(400);
    expect(outcomeText(other)).toContain('Compartment search');
    const badParam = await s.get(`Patient/${alice.id}/Observation?colour=red`);
    expect(badParam.status).toBe(400);
    expect(outcomeText(badParam)).toContain("'colour'");
    expect((await s.get('Patient/bad$id/Observation')).status).toBe(400);
    expect((await s.get(`Patient/${alice.id}/Nope`)).status).toBe(404);
  });
});
