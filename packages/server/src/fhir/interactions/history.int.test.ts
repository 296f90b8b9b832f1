import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatient } from '../../testing/fixtures.js';
import { asBundle, type TestServer, testBaseUrl, testServers } from '../../testing/test-server.js';

describe.each(testServers())('history on $name', ({ start }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s?.close());

  it('instance history lists every version newest first, with request and response per entry', async () => {
    const created = await s.create(testPatient());
    await s.put(`Patient/${created.id}`, { ...created, active: false });
    await s.delete(`Patient/${created.id}`);
    const res = await s.get(`Patient/${created.id}/_history`);
    expect(res.status).toBe(200);
    const bundle = asBundle(res);
    expect(bundle.type).toBe('history');
    expect(bundle.total).toBe(3);
    const entries = bundle.entry ?? [];
    expect(entries.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT', 'POST']);
    expect(entries.map((e) => e.response?.etag)).toEqual(['W/"3"', 'W/"2"', 'W/"1"']);
    expect(entries[0].resource).toBeUndefined();
    expect(entries[0].request?.url).toBe(`Patient/${created.id}`);
    expect(entries[1].resource).toMatchObject({ active: false, meta: { versionId: '2' } });
    expect(entries[1].response?.status).toBe('200 OK');
    expect(entries[2].request?.url).toBe('Patient');
    expect(entries[2].response).toMatchObject({
      status: '201 Created',
      lastModified: created.meta?.lastUpdated,
    });
    expect(entries.every((e) => e.fullUrl === `${testBaseUrl}/Patient/${created.id}`)).toBe(true);
    expect(bundle.link?.find((l) => l.relation === 'self')?.url).toContain(
      `${testBaseUrl}/Patient/${created.id}/_history`,
    );
  });

  it('instance history of an unknown resource → 404', async () => {
    expect((await s.get('Patient/never-was/_history')).status).toBe(404);
  });

  it('_count pages with next/previous links, _since filters by time', async () => {
    const created = await s.create(testPatient());
    for (let i = 0; i < 4; i++) await s.put(`Patient/${created.id}`, { ...created, active: i % 2 === 0 });
    const page1 = asBundle(await s.get(`Patient/${created.id}/_history?_count=2`));
    expect(page1.total).toBe(5);
    expect(page1.entry?.map((e) => e.response?.etag)).toEqual(['W/"5"', 'W/"4"']);
    const next = page1.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toBeDefined();
    expect(page1.link?.find((l) => l.relation === 'previous')).toBeUndefined();
    const page2 = asBundle(await s.get(next!.slice(next!.indexOf('/fhir/') + 6)));
    expect(page2.entry?.map((e) => e.response?.etag)).toEqual(['W/"3"', 'W/"2"']);
    expect(page2.link?.find((l) => l.relation === 'previous')).toBeDefined();
    const page3 = asBundle(await s.get(`Patient/${created.id}/_history?_count=2&_offset=4`));
    expect(page3.entry?.map((e) => e.response?.etag)).toEqual(['W/"1"']);
    expect(page3.link?.find((l) => l.relation === 'next')).toBeUndefined();

    const v3 = await s.get(`Patient/${created.id}/_history/3`);
    const since = asBundle(
      await s.get(`Patient/${created.id}/_history?_since=${encodeURIComponent(v3.body!.meta!.lastUpdated!)}`),
    );
    expect(since.entry?.map((e) => e.response?.etag)).toEqual(['W/"5"', 'W/"4"']);
  });

  it('type and system history include every resource written', async () => {
    const a = await s.create(testPatient());
    const org = await s.create<Resource>({ resourceType: 'Organization', name: 'St Thomas' });
    const type = asBundle(await s.get('Patient/_history?_count=1000'));
    expect(type.entry?.some((e) => e.resource?.id === a.id)).toBe(true);
    expect(type.entry?.every((e) => e.fullUrl?.startsWith(`${testBaseUrl}/Patient/`))).toBe(true);
    const system = asBundle(await s.get('_history?_count=1000'));
    const ids = new Set(system.entry?.map((e) => e.resource?.id));
    expect(ids.has(a.id)).toBe(true);
    expect(ids.has(org.id)).toBe(true);
    expect(system.total).toBeGreaterThanOrEqual(2);
  });

  it('rejects a bad _since and unknown parameters with 400', async () => {
    expect((await s.get('_history?_since=yesterday')).status).toBe(400);
    expect((await s.get('_history?_at=2020')).status).toBe(400);
    expect((await s.get('Patient/_history?_count=x')).status).toBe(400);
  });
});
