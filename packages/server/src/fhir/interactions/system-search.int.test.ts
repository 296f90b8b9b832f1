import { randomUUID } from 'node:crypto';
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

describe.each(testServers())('system search, chains, _has and composites over HTTP on $name', ({ start }) => {
  let s: TestServer;
  const tagCode = `t${randomUUID().slice(0, 8)}`;
  const family = `Fam${randomUUID().slice(0, 8)}`;
  let patient: Resource;
  let observation: Resource;

  beforeAll(async () => {
    s = await start();
    const meta = { tag: [{ system: 'http://example.org/tags', code: tagCode }] };
    patient = await s.create(testPatient({ meta, name: [{ family, given: ['Ada'] }] }));
    observation = await s.create(
      testObservation(`Patient/${patient.id}`, {
        meta,
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
            valueQuantity: { value: 150, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
          },
        ],
      }),
    );
    await s.create(testPatient({ name: [{ family: `${family}x`, given: ['Bo'] }] }));
  });
  afterAll(() => s?.close());

  const keys = (r: Awaited<ReturnType<TestServer['get']>>) =>
    (asBundle(r).entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);

  it('GET [base]?_type=…&_tag=… finds both types in one searchset with [base]? links', async () => {
    const res = await s.get(`?_type=Patient,Observation&_tag=${tagCode}&_count=1`);
    expect(res.status).toBe(200);
    const bundle = asBundle(res);
    expect(keys(res)).toHaveLength(1);
    const next = bundle.link?.find((l) => l.relation === 'next')?.url ?? '';
    expect(next.startsWith(`${testBaseUrl}?_type=Patient,Observation&`)).toBe(true);
    const all = await s.get(`?_type=Patient,Observation&_tag=${tagCode}`);
    expect(keys(all).sort()).toEqual([`Observation/${observation.id}`, `Patient/${patient.id}`].sort());
  });

  it('GET [base]?_id=… searches every type', async () => {
    expect(keys(await s.get(`?_id=${patient.id}`))).toEqual([`Patient/${patient.id}`]);
    expect(keys(await s.get(`/fhir?_id=${patient.id}`))).toEqual([`Patient/${patient.id}`]);
  });

  it('POST [base]/_search with a form body equals the GET', async () => {
    const res = await s.request('POST', '_search', {
      raw: `_type=Patient,Observation&_tag=${tagCode}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(keys(res).sort()).toEqual([`Observation/${observation.id}`, `Patient/${patient.id}`].sort());
  });

  it('answers 400 for an unknown type or a parameter some types lack', async () => {
    const unknown = await s.get('?_type=Patient,Nope');
    expect(unknown.status).toBe(400);
    expect(outcomeText(unknown)).toContain("'Nope'");
    const notCommon = await s.get('?_type=Patient,Observation&family=x');
    expect(notCommon.status).toBe(400);
    expect(outcomeText(notCommon)).toContain("'family'");
  });

  it('chains, reverse-chains and searches composites through the REST API', async () => {
    expect(keys(await s.get(`Observation?subject:Patient.family=${family}&_total=accurate`))).toEqual([
      `Observation/${observation.id}`,
    ]);
    expect(keys(await s.get(`Observation?patient.family:exact=${family}`))).toEqual([
      `Observation/${observation.id}`,
    ]);
    expect(keys(await s.get(`Patient?family=${family}&_has:Observation:patient:code=8867-4`))).toEqual([
      `Patient/${patient.id}`,
    ]);
    expect(
      keys(await s.get(`Observation?patient=${patient.id}&component-code-value-quantity=8480-6$gt140`)),
    ).toEqual([`Observation/${observation.id}`]);
    const ambiguous = await s.get('Observation?subject.name=x');
    expect(ambiguous.status).toBe(400);
    expect(outcomeText(ambiguous)).toContain('subject:');
  });
});
