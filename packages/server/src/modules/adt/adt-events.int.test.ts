import { createRepository, type Database, testDatabases } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWard, params, type TestWard } from '../../testing/adt-ward.js';
import { startTestApp, type TestServer, testBaseUrl } from '../../testing/test-server.js';
import { defaultChannel } from '../interfaces/channels/channel.js';
import { parseOutboundChannels } from '../interfaces/channels/outbound-channel.js';
import { Interfaces } from '../interfaces/interfaces.js';
import { listOutbox, outboxListener } from '../interfaces/outbound/outbox.js';
import { admit as admitMessage } from '../interfaces/testing/messages.js';
import { bedBoardEventsPath, openBedBoardStreams } from './live/events-route.js';
import { bedBoardChannel, bedBoardListener, combineListeners } from './live/notify.js';

/** A server-sent-events reader over fetch streaming (as the browser reads it, with the bearer token). */
class EventStream {
  readonly events: { event: string; data: string }[] = [];
  private readonly abort = new AbortController();
  private done?: Promise<void>;

  async open(url: string, token: string): Promise<number> {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: this.abort.signal,
    });
    if (!res.ok || !res.body) return res.status;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    this.done = (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event) this.events.push({ event, data: data ?? '' });
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted
      }
    })();
    return res.status;
  }

  async waitFor(what: string, match: (e: { event: string; data: string }) => boolean, ms = 5000) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const found = this.events.find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${what} within ${ms} ms: ${JSON.stringify(this.events)}`);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

describe.each(testDatabases())('ADT events on $name', ({ open }) => {
  let db: Database;
  let server: TestServer;
  let base: string;
  let ward: TestWard;
  const [channel] = parseOutboundChannels([
    { name: 'adt-peer', host: '127.0.0.1', port: 9, events: ['ADT^*'] },
  ]);

  beforeAll(async () => {
    db = await open();
    const onChange = combineListeners(
      outboxListener([channel], () => undefined),
      bedBoardListener,
    );
    const repository = createRepository(db, { onChange });
    server = await startTestApp({ repository, database: db, config: { baseUrl: testBaseUrl } }, () =>
      db.close(),
    );
    const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
    base = address;
    ward = await createTestWard(server, { beds: 4, patients: 2 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('queues the outbound ADT message of every operation, in order', async () => {
    const before = (await listOutbox(db, channel.name)).length;
    const admitted = await server.post(
      'Encounter/$admit',
      params({
        patient: `Patient/${ward.patients[0]}`,
        bed: `Location/${ward.beds[0]}`,
        admitSource: { code: 'gp' },
      }),
    );
    const id = (admitted.body as Resource).id;
    const steps: [string, Resource][] = [
      ['$transfer', params({ bed: `Location/${ward.beds[1]}`, reason: 'quieter room' })],
      ['$cancel-transfer', params({ reason: 'entered on the wrong patient' })],
      ['$leave-of-absence', params({ reason: 'home for the weekend' })],
      ['$return-from-leave', params({})],
      ['$discharge', params({ disposition: { code: 'home' } })],
      ['$cancel-discharge', params({ reason: 'still febrile' })],
      ['$cancel-admit', params({ reason: 'admitted in error' })],
    ];
    for (const [op, body] of steps) {
      const res = await server.post(`Encounter/${id}/${op}`, body);
      expect(res.status, `${op}: ${res.text}`).toBe(200);
    }
    // a refused operation queues nothing
    expect(
      (await server.post(`Encounter/${id}/$discharge`, params({ disposition: { code: 'home' } }))).status,
    ).toBe(409);
    const events = (await listOutbox(db, channel.name)).slice(before).map((e) => e.event);
    expect(events).toEqual([
      'ADT^A01',
      'ADT^A02',
      'ADT^A12',
      'ADT^A21',
      'ADT^A22',
      'ADT^A03',
      'ADT^A13',
      'ADT^A11',
    ]);
  });

  it('converts an emergency visit into an admission (A06), leaving the emergency bed dirty', async () => {
    const ed = await server.create({
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
      subject: { reference: `Patient/${ward.patients[1]}` },
      period: { start: new Date(Date.now() - 3_600_000).toISOString() },
      location: [
        {
          location: { reference: `Location/${ward.beds[3]}` },
          status: 'active',
          physicalType: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bd' }],
          },
        },
      ],
    } as Resource);
    const before = (await listOutbox(db, channel.name)).length;
    const res = await server.post(
      'Encounter/$admit',
      params({
        patient: `Patient/${ward.patients[1]}`,
        bed: `Location/${ward.beds[2]}`,
        admitSource: { code: 'emd' },
        encounter: `Encounter/${ed.id}`,
      }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      id: ed.id,
      class: { code: 'IMP' },
      classHistory: [{ class: { code: 'EMER' } }],
    });
    expect(
      ((await server.get(`Location/${ward.beds[3]}`)).body as { operationalStatus?: { code?: string } })
        .operationalStatus?.code,
    ).toBe('H');
    const events = (await listOutbox(db, channel.name)).slice(before).map((e) => e.event);
    expect(events).toEqual(['ADT^A06']);
    const cancel = await server.post(`Encounter/${ed.id}/$cancel-admit`, params({ reason: 'x' }));
    expect(cancel.status).toBe(409);
  });

  it('tells the board of an encounter the HL7 feed wrote (the interface engine writes with the same listener)', async () => {
    const heard: string[] = [];
    const stop = await db.listen(bedBoardChannel, (payload) => heard.push(payload));
    const interfaces = new Interfaces({
      db,
      baseUrl: testBaseUrl,
      logger: { error() {}, warn() {}, info() {} },
      channels: [defaultChannel(0)],
      onChange: bedBoardListener,
    });
    const receipt = await interfaces.engine.receive(
      admitMessage({ mrn: `HL7${Date.now()}`, visit: `V${Date.now()}`, controlId: `C${Date.now()}` }),
      defaultChannel(0),
    );
    expect(receipt.ack).toContain('MSA|AA');
    for (let i = 0; i < 100 && !heard.some((h) => h.includes('"Encounter"')); i++)
      await new Promise((r) => setTimeout(r, 20));
    await stop();
    const changes = heard.flatMap((h) =>
      (JSON.parse(h) as { changes: { type: string }[] }).changes.map((c) => c.type),
    );
    expect(changes).toContain('Encounter');
    expect(changes).toContain('Location');
  });

  it('tells open boards of a transfer request and a planned discharge, and sends no HL7 message for either', async () => {
    const own = await createTestWard(server, { beds: 1, patients: 1 });
    const admitted = await server.post(
      'Encounter/$admit',
      params({
        patient: `Patient/${own.patients[0]}`,
        bed: `Location/${own.beds[0]}`,
        admitSource: { code: 'gp' },
      }),
    );
    expect(admitted.status, admitted.text).toBe(201);
    const id = (admitted.body as Resource).id as string;
    const heard: string[] = [];
    const stop = await db.listen(bedBoardChannel, (payload) => heard.push(payload));
    const before = (await listOutbox(db, channel.name)).length;
    const asked = await server.post(
      `Encounter/${id}/$request-transfer`,
      params({ unit: `Location/${own.unit}`, reason: 'closer to the station' }),
    );
    expect(asked.status, asked.text).toBe(200);
    const planned = await server.post(
      `Encounter/${id}/$plan-discharge`,
      params({ time: { dateTime: new Date(Date.now() + 3_600_000).toISOString() } }),
    );
    expect(planned.status, planned.text).toBe(200);
    const seen = () =>
      heard.flatMap((h) => (JSON.parse(h) as { changes: { type: string; id: string }[] }).changes);
    for (let i = 0; i < 100 && !seen().some((c) => c.type === 'Encounter' && c.id === id); i++)
      await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(seen()).toContainEqual({ type: 'Task', id: (asked.body as Resource).id, beds: [] });
    expect(seen().some((c) => c.type === 'Encounter' && c.id === id)).toBe(true);
    expect((await listOutbox(db, channel.name)).slice(before)).toEqual([]);
  });

  it('streams committed bed changes to open boards (operations and plain FHIR writes) and forgets closed ones', async () => {
    const unauthenticated = await fetch(`${base}${bedBoardEventsPath}`);
    expect(unauthenticated.status).toBe(401);
    const labTech = await server.authority.token('user/*.rs', { roles: ['lab-tech'], sub: 'lab' });
    const refused = await fetch(`${base}${bedBoardEventsPath}`, {
      headers: { authorization: `Bearer ${labTech}` },
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Resource).resourceType).toBe('OperationOutcome');

    const boards = [new EventStream(), new EventStream()];
    const nurse = await server.authority.token('user/*.cruds', { roles: ['nurse'], sub: 'nurse' });
    expect(await boards[0].open(`${base}${bedBoardEventsPath}`, server.systemToken)).toBe(200);
    expect(await boards[1].open(`${base}${bedBoardEventsPath}`, nurse)).toBe(200);
    for (const b of boards) await b.waitFor('ready', (e) => e.event === 'ready');
    expect(openBedBoardStreams(server.app)).toBe(2);

    // an operation: the bed's change reaches both boards
    const dirty = await server.post(`Location/${ward.beds[1]}/$mark-clean`, params({}));
    expect(dirty.status, dirty.text).toBe(200);
    for (const b of boards) {
      await b.waitFor('mark-clean', (e) => e.event === 'change' && e.data.includes(ward.beds[1]));
    }
    // a plain FHIR write of a bed (as a feed or another app would)
    const bed = (await server.get(`Location/${ward.beds[0]}`)).body as Resource;
    const put = await server.put(`Location/${ward.beds[0]}`, { ...bed, description: 'window side' });
    expect(put.status).toBe(200);
    const change = await boards[0].waitFor(
      'plain write',
      (e) => e.event === 'change' && e.data.includes(ward.beds[0]),
    );
    expect(JSON.parse(change.data)).toEqual({
      changes: [{ type: 'Location', id: ward.beds[0], beds: [ward.beds[0]] }],
    });
    // a refused operation (rolled back) sends nothing
    const seen = boards[0].events.length;
    expect((await server.post(`Location/${ward.beds[3]}/$block`, params({}))).status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(boards[0].events.slice(seen).filter((e) => e.data.includes(ward.beds[3]))).toEqual([]);

    await boards[0].close();
    await boards[1].close();
    for (let i = 0; i < 50 && openBedBoardStreams(server.app) > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(openBedBoardStreams(server.app)).toBe(0);
  });
});
