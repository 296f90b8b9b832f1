import { randomUUID } from 'node:crypto';
import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testObservation, testPatient } from '../../testing/fixtures.js';
import {
  asBundle,
  asOutcome,
  outcomeText,
  type TestServer,
  testBaseUrl,
  testServers,
} from '../../testing/test-server.js';

describe.each(testServers())('search on $name', ({ start }) => {
  let s: TestServer;
  const family = `Fam${randomUUID().slice(0, 8)}`;
  const patients: Resource[] = [];
  let subject: Resource;
  let other: Resource;

  beforeAll(async () => {
    s = await start();
    for (let i = 0; i < 5; i++) {
      patients.push(
        await s.create(
          testPatient({ name: [{ family, given: [`G${i}`] }], gender: i % 2 ? 'male' : 'female' }),
        ),
      );
    }
    patients.push(await s.create(testPatient({ name: [{ family: `${family}, Jr`, given: ['Comma'] }] })));
    subject = patients[0];
    other = patients[1];
    await s.create(testObservation(`Patient/${subject.id}`));
    await s.create(testObservation(`Patient/${subject.id}`, { status: 'amended' }));
    await s.create(testObservation(`Patient/${other.id}`));
  });
  afterAll(() => s?.close());

  const ids = (r: Awaited<ReturnType<TestServer['get']>>) =>
    (asBundle(r).entry ?? []).map((e) => e.resource?.id);

  it('answers a searchset with fullUrl, search.mode and an absolute self link', async () => {
    const res = await s.get(`Patient?_id=${subject.id}`);
    expect(res.status).toBe(200);
    const bundle = asBundle(res);
    expect(bundle.type).toBe('searchset');
    expect(bundle.entry).toHaveLength(1);
    expect(bundle.entry?.[0]).toMatchObject({
      fullUrl: `${testBaseUrl}/Patient/${subject.id}`,
      resource: { id: subject.id },
      search: { mode: 'match' },
    });
    const self = bundle.link?.find((l) => l.relation === 'self')?.url;
    expect(self).toMatch(new RegExp(`^${testBaseUrl}/Patient\\?`));
    expect(new URL(self!).searchParams.get('_id')).toBe(subject.id);
  });

  it('identifier token search finds the patient', async () => {
    const identifier = (subject.identifier as { system: string; value: string }[])[0];
    const res = await s.get(
      `Patient?identifier=${encodeURIComponent(`${identifier.system}|${identifier.value}`)}`,
    );
    expect(ids(res)).toEqual([subject.id]);
  });

  it('commas OR values; repeated parameters AND them', async () => {
    expect(ids(await s.get(`Patient?_id=${subject.id},${other.id}&_sort=_lastUpdated`))).toEqual([
      subject.id,
      other.id,
    ]);
    expect(ids(await s.get(`Patient?_id=${subject.id},${other.id}&gender=male`))).toEqual([other.id]);
    expect(ids(await s.get(`Patient?_id=${subject.id}&_id=${other.id}`))).toEqual([]);
  });

  it('an escaped comma is part of the value', async () => {
    const res = await s.get(`Patient?name=${encodeURIComponent(`${family}\\, Jr`)}`);
    expect(ids(res)).toEqual([patients[5].id]);
  });

  it('modifiers after the colon reach the engine', async () => {
    const exact = await s.get(`Patient?family:exact=${family}&_total=accurate`);
    expect(asBundle(exact).total).toBe(5);
    const contains = await s.get(`Patient?family:contains=${family.slice(3)}&_total=accurate`);
    expect(asBundle(contains).total).toBe(6);
  });

  it('_count pages with absolute next and previous links; _total=accurate counts all', async () => {
    const page1 = asBundle(
      await s.get(`Patient?family:exact=${family}&_count=2&_sort=_lastUpdated&_total=accurate`),
    );
    expect(page1.total).toBe(5);
    expect(page1.entry?.map((e) => e.resource?.id)).toEqual([patients[0].id, patients[1].id]);
    const next = page1.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toMatch(new RegExp(`^${testBaseUrl}/Patient\\?.*_offset=2`));
    expect(page1.link?.find((l) => l.relation === 'previous')).toBeUndefined();
    const page2 = asBundle(await s.get(next!.slice(testBaseUrl.length + 1)));
    expect(page2.entry?.map((e) => e.resource?.id)).toEqual([patients[2].id, patients[3].id]);
    expect(page2.link?.find((l) => l.relation === 'previous')?.url).toContain('_count=2');
    const last = asBundle(
      await s.get(`Patient?family:exact=${family}&_count=2&_sort=_lastUpdated&_offset=4`),
    );
    expect(last.entry?.map((e) => e.resource?.id)).toEqual([patients[4].id]);
    expect(last.link?.find((l) => l.relation === 'next')).toBeUndefined();
  });

  it('_sort orders results, descending with -', async () => {
    const res = await s.get(`Patient?family:exact=${family}&_sort=-_lastUpdated`);
    expect(ids(res)).toEqual(
      patients
        .slice(0, 5)
        .map((p) => p.id)
        .reverse(),
    );
  });

  it('date parameters accept an unencoded + in the time-zone offset', async () => {
    const res = await s.get(
      `Patient?family:exact=${family}&birthdate=ge1820-05-11T23:00:00+01:00&_total=accurate`,
    );
    expect(res.status).toBe(200);
    expect(asBundle(res).total).toBe(5);
  });

  it('_summary=count answers the total and no entries', async () => {
    const bundle = asBundle(await s.get(`Patient?family:exact=${family}&_summary=count`));
    expect(bundle.total).toBe(5);
    expect(bundle.entry ?? []).toEqual([]);
  });

  it('reference parameters pointing at a patient work: subject, patient, subject:Patient', async () => {
    expect(ids(await s.get(`Observation?subject=Patient/${subject.id}`))).toHaveLength(2);
    expect(ids(await s.get(`Observation?patient=${subject.id}`))).toHaveLength(2);
    expect(ids(await s.get(`Observation?subject:Patient=${subject.id}`))).toHaveLength(2);
    expect(ids(await s.get(`Observation?patient=Patient/${other.id}&status=final`))).toHaveLength(1);
    expect(ids(await s.get(`Observation?patient=${subject.id}&status=amended`))).toHaveLength(1);
  });

  it('an unknown parameter → 400 naming it', async () => {
    const res = await s.get(`Patient?family=${family}&colour=blue`);
    expect(res.status).toBe(400);
    expect(outcomeText(res)).toContain("'colour'");
    expect(asOutcome(res).issue[0].expression).toEqual(['http.colour']);
  });

  it('Prefer: handling=lenient ignores it and reports a warning outcome entry', async () => {
    const res = await s.get(`Patient?family:exact=${family}&colour=blue`, { prefer: 'handling=lenient' });
    expect(res.status).toBe(200);
    const bundle = asBundle(res);
    const matches = bundle.entry?.filter((e) => e.search?.mode === 'match') ?? [];
    expect(matches).toHaveLength(5);
    const outcome = bundle.entry?.find((e) => e.search?.mode === 'outcome');
    expect(outcome?.resource).toMatchObject({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'warning', expression: ['http.colour'] }],
    });
    expect(bundle.link?.find((l) => l.relation === 'self')?.url).not.toContain('colour');
  });

  it('POST _search takes a form body, joined with the URL parameters', async () => {
    const res = await s.request('POST', `Patient/_search?gender=male`, {
      raw: `family:exact=${family}&_sort=_lastUpdated`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([patients[1].id, patients[3].id]);
    const json = await s.request('POST', 'Patient/_search', { json: { family } });
    expect(json.status).toBe(415);
  });

  it('bad control values → 400', async () => {
    expect((await s.get('Patient?_count=-5')).status).toBe(400);
    expect((await s.get('Patient?_sort=colour')).status).toBe(400);
    expect((await s.get('Patient?_total=maybe')).status).toBe(400);
    expect((await s.get('Observation?subject.name=x')).status).toBe(400);
  });
});
