import { validateResource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatient } from '../../testing/fixtures.js';
import {
  asOutcome,
  outcomeText,
  type TestServer,
  testBaseUrl,
  testServers,
} from '../../testing/test-server.js';
import { httpDate } from '../headers.js';

const validatorLanded = validateResource({ resourceType: 'Patient', colour: 'blue' }).length > 0;

describe.each(testServers())('create, read, update, delete on $name', ({ start }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s?.close());

  it('create assigns an id and version 1 and answers 201 with Location, ETag, Last-Modified', async () => {
    const res = await s.post('Patient', testPatient({ id: 'client-chosen' }));
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const body = res.body!;
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.id).not.toBe('client-chosen');
    expect(body.meta?.versionId).toBe('1');
    expect(res.headers.location).toBe(`${testBaseUrl}/Patient/${body.id}/_history/1`);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.headers['last-modified']).toBe(httpDate(body.meta!.lastUpdated!));
    expect(body).toMatchObject({ name: [{ family: 'Nightingale' }], birthDate: '1820-05-12' });
  });

  it('read returns the stored resource with ETag and Last-Modified; unknown id → 404', async () => {
    const created = await s.create(testPatient());
    const res = await s.get(`Patient/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
    expect(res.headers.etag).toBe('W/"1"');
    expect(res.headers['last-modified']).toBe(httpDate(created.meta!.lastUpdated!));
    const missing = await s.get('Patient/does-not-exist');
    expect(missing.status).toBe(404);
    expect(asOutcome(missing).issue[0].code).toBe('not-found');
  });

  it('read honours If-None-Match (304), HEAD and _format=json', async () => {
    const created = await s.create(testPatient());
    const notModified = await s.get(`Patient/${created.id}`, { 'if-none-match': 'W/"1"' });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect((await s.get(`Patient/${created.id}`, { 'if-none-match': 'W/"0"' })).status).toBe(200);
    const head = await s.request('HEAD', `Patient/${created.id}`);
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe('W/"1"');
    expect(head.text).toBe('');
    const json = await s.get(`Patient/${created.id}?_format=json`, { accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(json.body?.id).toBe(created.id);
  });

  it('read and vread honour _summary and _elements, tagging the result SUBSETTED', async () => {
    const created = await s.create({
      ...testPatient(),
      gender: 'female',
      communication: [{ language: { text: 'Welsh' } }],
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Ann</div>' },
    });
    const summary = (await s.get(`Patient/${created.id}?_summary=true`)).body!;
    expect(summary.gender).toBe('female');
    expect(summary.communication).toBeUndefined();
    expect(summary.meta?.tag).toContainEqual(expect.objectContaining({ code: 'SUBSETTED' }));
    const elements = (await s.get(`Patient/${created.id}/_history/1?_elements=gender`)).body!;
    expect(Object.keys(elements).sort()).toEqual(['gender', 'id', 'meta', 'resourceType']);
    const data = (await s.get(`Patient/${created.id}?_summary=data`)).body!;
    expect(data.text).toBeUndefined();
    expect(data.communication).toBeDefined();
    const whole = (await s.get(`Patient/${created.id}?_summary=false`)).body!;
    expect(whole.meta?.tag).toBeUndefined();
    expect((await s.get(`Patient/${created.id}?_summary=count`)).status).toBe(400);
    expect((await s.get(`Patient/${created.id}?_elements=colour`)).status).toBe(400);
  });

  it('update makes version 2; vread returns each version; an unknown version → 404', async () => {
    const created = await s.create(testPatient());
    const res = await s.put(`Patient/${created.id}`, { ...created, active: false });
    expect(res.status).toBe(200);
    expect(res.body?.meta?.versionId).toBe('2');
    expect(res.body?.active).toBe(false);
    expect(res.headers.etag).toBe('W/"2"');
    expect(res.headers.location).toBeUndefined();
    const v1 = await s.get(`Patient/${created.id}/_history/1`);
    expect(v1.status).toBe(200);
    expect(v1.body?.active).toBe(true);
    expect(v1.headers.etag).toBe('W/"1"');
    const v2 = await s.get(`Patient/${created.id}/_history/2`);
    expect(v2.body?.active).toBe(false);
    expect((await s.get(`Patient/${created.id}/_history/3`)).status).toBe(404);
    expect((await s.get(`Patient/${created.id}`)).body?.meta?.versionId).toBe('2');
  });

  it('update-as-create with a client id answers 201 with Location', async () => {
    const id = `client-${Date.now()}`;
    const res = await s.put(`Patient/${id}`, testPatient({ id }));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${testBaseUrl}/Patient/${id}/_history/1`);
    expect((await s.get(`Patient/${id}`)).body?.id).toBe(id);
  });

  it('update needs the body id to equal the URL id (missing or different → 400)', async () => {
    const created = await s.create(testPatient());
    const { id: _id, ...withoutId } = created;
    const missing = await s.put(`Patient/${created.id}`, withoutId);
    expect(missing.status).toBe(400);
    expect(asOutcome(missing).issue[0].expression).toEqual(['Patient.id']);
    const different = await s.put(`Patient/${created.id}`, { ...created, id: 'other' });
    expect(different.status).toBe(400);
    expect(outcomeText(different)).toContain("'other'");
    expect((await s.get(`Patient/${created.id}`)).body?.meta?.versionId).toBe('1');
  });

  it('resourceType must match the URL (400 naming resourceType); a missing resourceType → 400', async () => {
    const wrong = await s.post('Patient', { resourceType: 'Observation', status: 'final' });
    expect(wrong.status).toBe(400);
    expect(asOutcome(wrong).issue[0].expression).toEqual(['resourceType']);
    expect(outcomeText(wrong)).toContain("'Observation'");
    const none = await s.post('Patient', { name: [{ family: 'X' }] });
    expect(none.status).toBe(400);
    const array = await s.post('Patient', [{ resourceType: 'Patient' }]);
    expect(array.status).toBe(400);
    const empty = await s.request('POST', 'Patient', {
      raw: '',
      headers: { 'content-type': 'application/fhir+json' },
    });
    expect(empty.status).toBe(400);
  });

  it('accepts application/json as well as application/fhir+json', async () => {
    const res = await s.post('Patient', testPatient(), { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(201);
  });

  it.skipIf(!validatorLanded)(
    'rejects an unknown element and a wrong datatype with 400 naming the element',
    async () => {
      const unknown = await s.post('Patient', testPatient({ colour: 'blue' }));
      expect(unknown.status).toBe(400);
      expect(JSON.stringify(asOutcome(unknown).issue.map((i) => i.expression))).toContain('colour');
      const datatype = await s.post('Patient', testPatient({ birthDate: 18200512 }));
      expect(datatype.status).toBe(400);
      expect(JSON.stringify(asOutcome(datatype).issue.map((i) => i.expression))).toContain('birthDate');
    },
  );

  it('delete answers 204; a read is then 410, old versions stay readable, a second delete succeeds', async () => {
    const created = await s.create(testPatient());
    const res = await s.delete(`Patient/${created.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe('W/"2"');
    const gone = await s.get(`Patient/${created.id}`);
    expect(gone.status).toBe(410);
    expect(asOutcome(gone).issue[0].code).toBe('deleted');
    expect((await s.get(`Patient/${created.id}/_history/1`)).status).toBe(200);
    expect((await s.delete(`Patient/${created.id}`)).status).toBe(204);
    expect((await s.delete('Patient/never-existed')).status).toBe(204);
  });

  it('delete answers 200 with an OperationOutcome when preferred', async () => {
    const created = await s.create(testPatient());
    const res = await s.delete(`Patient/${created.id}`, { prefer: 'return=OperationOutcome' });
    expect(res.status).toBe(200);
    expect(outcomeText(res)).toContain(`Deleted Patient/${created.id}`);
  });

  it('an update after delete recreates the resource', async () => {
    const created = await s.create(testPatient());
    await s.delete(`Patient/${created.id}`);
    const res = await s.put(`Patient/${created.id}`, created);
    expect(res.status).toBe(201);
    expect(res.body?.meta?.versionId).toBe('3');
    expect((await s.get(`Patient/${created.id}`)).status).toBe(200);
  });

  it('Prefer: return=minimal sends headers only; return=OperationOutcome sends an outcome', async () => {
    const minimal = await s.post('Patient', testPatient(), { prefer: 'return=minimal' });
    expect(minimal.status).toBe(201);
    expect(minimal.text).toBe('');
    expect(minimal.headers.location).toMatch(/\/Patient\/[0-9a-f-]{36}\/_history\/1$/);
    expect(minimal.headers.etag).toBe('W/"1"');
    const outcome = await s.post('Patient', testPatient(), { prefer: 'return=OperationOutcome' });
    expect(outcome.status).toBe(201);
    expect(outcome.body?.resourceType).toBe('OperationOutcome');
    expect(outcomeText(outcome)).toMatch(/^Created Patient\/[0-9a-f-]{36} version 1$/);
    const representation = await s.post('Patient', testPatient(), { prefer: 'return=representation' });
    expect(representation.body?.resourceType).toBe('Patient');
  });
});

describe.each(testServers())('optimistic locking with If-Match on $name', ({ start }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(() => s?.close());

  it('a current If-Match updates; a stale one → 412 and nothing changes', async () => {
    const created = await s.create(testPatient());
    const ok = await s.put(`Patient/${created.id}`, { ...created, active: false }, { 'if-match': 'W/"1"' });
    expect(ok.status).toBe(200);
    const stale = await s.put(
      `Patient/${created.id}`,
      { ...created, gender: 'male' },
      { 'if-match': 'W/"1"' },
    );
    expect(stale.status).toBe(412);
    expect(asOutcome(stale).resourceType).toBe('OperationOutcome');
    const current = await s.get(`Patient/${created.id}`);
    expect(current.body).toMatchObject({ gender: 'female', active: false, meta: { versionId: '2' } });
    expect((await s.put(`Patient/${created.id}`, created, { 'if-match': '"2"' })).status).toBe(200);
  });

  it('a stale If-Match on delete → 412 and the resource stays', async () => {
    const created = await s.create(testPatient());
    await s.put(`Patient/${created.id}`, created);
    expect((await s.delete(`Patient/${created.id}`, { 'if-match': 'W/"1"' })).status).toBe(412);
    expect((await s.get(`Patient/${created.id}`)).status).toBe(200);
  });

  it('a malformed If-Match → 400', async () => {
    const created = await s.create(testPatient());
    const res = await s.put(`Patient/${created.id}`, created, { 'if-match': 'W/"not a version"' });
    expect(res.status).toBe(400);
  });

  it('parallel updates with the same If-Match: exactly one wins per version, none is lost', async () => {
    const created = await s.create(testPatient());
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        s.put(
          `Patient/${created.id}`,
          { ...created, name: [{ family: `Writer${i}` }] },
          { 'if-match': 'W/"1"' },
        ),
      ),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x === 412)).toHaveLength(7);
    const winner = attempts.find((a) => a.status === 200)!;
    const current = await s.get(`Patient/${created.id}`);
    expect(current.body?.meta?.versionId).toBe('2');
    expect(current.body?.name).toEqual(winner.body?.name);
  });
});
