import { createRepository, type Database, testDatabases } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../../auth/tokens/test-authority.js';
import { createApp } from '../../../http/app.js';
import { Interfaces } from '../interfaces.js';
import { recordOutbound } from '../store/message-store.js';
import { admit } from '../testing/messages.js';

const silent = { error() {}, warn() {}, info() {} };

describe.each(testDatabases())('/hl7 message API on $name', ({ open }) => {
  let db: Database;
  let app: FastifyInstance;
  let interfaces: Interfaces;
  let messageId: string;
  let token: string;
  let readOnly: string;
  let patientTypesOnly: string;
  beforeAll(async () => {
    db = await open();
    const auth = await createTestAuthority('http://test.hospitium/fhir');
    token = await auth.token('system/*.*');
    readOnly = await auth.token('system/*.rs');
    patientTypesOnly = await auth.token('system/Patient.rs');
    interfaces = new Interfaces({ db, baseUrl: 'http://test.hospitium/fhir', logger: silent, mllpPort: 0 });
    app = createApp({
      repository: createRepository(db),
      database: db,
      interfaces,
      auth,
      config: { baseUrl: 'http://test.hospitium/fhir' },
    });
    await app.ready();
    const receipt = await interfaces.engine.receive(
      admit({ mrn: 'API1', visit: 'AV1', controlId: 'API-CTRL-1' }),
      interfaces.channels[0],
    );
    messageId = receipt.messageId as string;
    await interfaces.engine.receive(
      'MSH|^~\\&|X|Y|Z|W|2026||ZZZ^Z01|API-BAD|P|2.5.1',
      interfaces.channels[0],
    );
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: bearer(token) });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  };

  it('searches by patient, type, control id, status and date', async () => {
    const byPatient = await get('/hl7/messages?patient=API1');
    expect(byPatient.status).toBe(200);
    expect(byPatient.body.messages.map((m: { controlId: string }) => m.controlId)).toEqual(['API-CTRL-1']);
    expect(byPatient.body.messages[0].raw).toBeUndefined();
    const full = await get('/hl7/messages?patient=urn:oid:2.16.840.1.113883.19.5|API1&type=ADT^A01');
    expect(full.body.count).toBe(1);
    expect((await get('/hl7/messages?type=ORU')).body.count).toBe(0);
    expect((await get('/hl7/messages?controlId=API-BAD')).body.messages[0]).toMatchObject({
      status: 'rejected',
      ackCode: 'AR',
    });
    expect((await get('/hl7/messages?status=rejected')).body.count).toBe(1);
    expect((await get('/hl7/messages?since=2999-01-01')).body.count).toBe(0);
    expect((await get('/hl7/messages?_count=1')).body).toMatchObject({ count: 1, nextOffset: 1 });
  });

  it('reads one message with its raw text and ACK, and replays it', async () => {
    const one = await get(`/hl7/messages/${messageId}`);
    expect(one.body).toMatchObject({ id: messageId, status: 'processed', ackCode: 'AA' });
    expect(one.body.raw).toContain('ADT^A01');
    expect(one.body.ack).toContain('MSA|AA|API-CTRL-1');
    const replay = await app.inject({
      method: 'POST',
      url: `/hl7/messages/${messageId}/$replay`,
      headers: bearer(token),
    });
    expect(replay.statusCode).toBe(200);
    expect(JSON.parse(replay.body)).toMatchObject({ status: 'processed', attempts: 2 });
  });

  it('needs a token that may read every type; a replay also needs create and update', async () => {
    const none = await app.inject({ method: 'GET', url: '/hl7/messages' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    const narrow = await app.inject({
      method: 'GET',
      url: '/hl7/messages',
      headers: bearer(patientTypesOnly),
    });
    expect(narrow.statusCode).toBe(403);
    expect(narrow.body).toContain('system/*.rs');
    const reader = await app.inject({
      method: 'GET',
      url: `/hl7/messages/${messageId}`,
      headers: bearer(readOnly),
    });
    expect(reader.statusCode).toBe(200);
    const replay = await app.inject({
      method: 'POST',
      url: `/hl7/messages/${messageId}/$replay`,
      headers: bearer(readOnly),
    });
    expect(replay.statusCode).toBe(403);
    expect(replay.body).toContain("'c', 'u'");
  });

  it.each([
    ['/hl7/messages?since=yesterday', 400, 'since'],
    ['/hl7/messages?type=adt', 400, 'type'],
    ['/hl7/messages?status=lost', 400, 'status'],
    ['/hl7/messages?_count=-1', 400, '_count'],
    ['/hl7/messages?color=red', 400, 'color'],
    ['/hl7/messages/not-a-uuid', 404, 'not found'],
    ['/hl7/messages/00000000-0000-4000-8000-000000000000', 404, 'not found'],
  ])('%s → %i OperationOutcome', async (url, status, text) => {
    const res = await get(url);
    expect(res.status).toBe(status);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(res.body)).toContain(text);
  });

  it('deletes a message an analyst gives up on; not one still being delivered; needs delete on every type', async () => {
    const [rejected] = (await get('/hl7/messages?controlId=API-BAD')).body.messages as { id: string }[];
    const del = (id: string, t = token) =>
      app.inject({ method: 'DELETE', url: `/hl7/messages/${id}`, headers: bearer(t) });
    const refused = await del(rejected.id, readOnly);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain("'d'");
    expect((await del(rejected.id)).statusCode).toBe(204);
    expect((await get(`/hl7/messages/${rejected.id}`)).status).toBe(404);
    expect((await del(rejected.id)).statusCode).toBe(404);
    // the refusal, the delete and the miss are each on the audit trail (action D)
    const deletes = await createRepository(db).search({
      resourceType: 'AuditEvent',
      filters: [{ code: 'subtype', values: ['hl7-delete'] }],
      count: 100,
    });
    const ofMessage = deletes.resources.filter((e) => JSON.stringify(e.entity ?? []).includes(rejected.id));
    expect(ofMessage.map((e) => `${e.action} ${e.outcome}`).sort()).toEqual(['D 0', 'D 4', 'D 4']);

    const sending = crypto.randomUUID();
    await recordOutbound(db, {
      id: sending,
      channel: 'lis',
      raw: 'MSH|^~\\&|HOSPITIUM|H|LIS|L|2026||ADT^A01|OUT-1|P|2.5.1',
      status: 'sent',
      patientIds: [],
      result: [],
    });
    const busy = await del(sending);
    expect(busy.statusCode).toBe(409);
    expect(JSON.parse(busy.body)).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(busy.body).toContain('still being delivered');
    expect((await get(`/hl7/messages/${sending}`)).status).toBe(200);
  });

  it('every list, read, replay and refusal writes an AuditEvent naming the message and its patient', async () => {
    interface Event {
      id: string;
      type: { code: string };
      subtype: { code: string }[];
      action: string;
      outcome: string;
      entity?: {
        what?: { reference?: string; identifier?: { system?: string; value: string } };
        query?: string;
      }[];
      agent: { who?: { identifier?: { value: string } } }[];
    }
    const repository = createRepository(db);
    const patient = (
      await repository.search({
        resourceType: 'Patient',
        filters: [{ code: 'identifier', values: ['urn:oid:2.16.840.1.113883.19.5|API1'] }],
      })
    ).resources[0];
    const events = async (): Promise<Event[]> =>
      (
        await repository.search({
          resourceType: 'AuditEvent',
          filters: [{ code: 'type', values: ['110112', '110110'] }],
          count: 1000,
        })
      ).resources as unknown as Event[];
    const beforeIds = (await events()).map((e) => e.id);

    expect((await get('/hl7/messages?patient=API1')).status).toBe(200);
    expect((await get(`/hl7/messages/${messageId}`)).status).toBe(200);
    const narrow = await app.inject({ url: `/hl7/messages/${messageId}`, headers: bearer(patientTypesOnly) });
    expect(narrow.statusCode).toBe(403);
    expect((await get('/hl7/messages/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const replay = await app.inject({
      method: 'POST',
      url: `/hl7/messages/${messageId}/$replay`,
      headers: bearer(token),
    });
    expect(replay.statusCode).toBe(200);

    const seen = new Set(beforeIds);
    const added = (await events()).filter((e) => !seen.has(e.id));
    const summary = added.map((e) => [e.type.code, e.subtype[0].code, e.action, e.outcome].join(' '));
    expect(summary.sort()).toEqual([
      '110110 hl7-read R 0',
      '110110 hl7-read R 4',
      '110110 hl7-read R 4',
      '110110 hl7-replay E 0',
      '110112 hl7-list E 0',
    ]);
    const list = added.find((e) => e.subtype[0].code === 'hl7-list');
    const read = added.find((e) => e.subtype[0].code === 'hl7-read' && e.outcome === '0');
    const refused = added.find(
      (e) => e.outcome === '4' && e.entity?.some((x) => x.what?.identifier?.value === messageId),
    );
    expect(list?.entity?.map((x) => x.what?.reference)).toContain(`Patient/${patient.id}`);
    expect(Buffer.from(list?.entity?.find((x) => x.query)?.query ?? '', 'base64').toString()).toBe(
      'patient=API1',
    );
    expect(read?.entity?.map((x) => x.what?.reference)).toContain(`Patient/${patient.id}`);
    expect(read?.entity?.map((x) => x.what?.identifier?.value)).toContain(messageId);
    expect(refused).toBeDefined();
    // The patient's own trail finds the message-store read.
    const trail = await repository.search({
      resourceType: 'AuditEvent',
      filters: [
        { code: 'patient', values: [`Patient/${patient.id}`] },
        { code: 'type', values: ['110110'] },
      ],
    });
    expect(trail.resources.length).toBeGreaterThanOrEqual(1);
  });
});
