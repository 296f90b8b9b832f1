import { createServer } from 'node:net';
import { createRepository, type Database, type Repository, testDatabases } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { buildAck, createMllpServer, type Hl7Message, type MllpServer, parseMessage } from '@hospitium/hl7v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPatient } from '../../../testing/fixtures.js';
import { startTestApp, type TestServer, testBaseUrl } from '../../../testing/test-server.js';
import { defaultChannel } from '../channels/channel.js';
import { type OutboundChannel, parseOutboundChannels } from '../channels/outbound-channel.js';
import { Interfaces } from '../interfaces.js';
import { getMessage, searchMessages } from '../store/message-store.js';
import { admit } from '../testing/messages.js';
import { listOutbox } from './outbox.js';

const silent = { error() {}, warn() {}, info() {} };

/** A peer's MLLP listener that records what arrives and answers as `answer` says. */
class Peer {
  readonly received: Hl7Message[] = [];
  answer: (m: Hl7Message) => 'AA' | 'AE' | 'AR' = () => 'AA';
  private server?: MllpServer;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createMllpServer({
      handler: async (text) => {
        const m = parseMessage(text);
        this.received.push(m);
        const code = this.answer(m);
        return buildAck(m, { code, ...(code === 'AA' ? {} : { text: 'peer says no' }) }).toString();
      },
    });
    this.port = await this.server.listen(port, '127.0.0.1');
    return this;
  }
  async stop(): Promise<void> {
    await this.server?.close();
  }
  types(): string[] {
    return this.received.map((m) => `${m.messageCode}^${m.triggerEvent}`);
  }
}

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let n = 0;

describe.each(testDatabases())('outbound HL7 v2 on $name', ({ open }) => {
  let db: Database;
  let reader: Repository;
  const running: { interfaces: Interfaces; peer?: Peer }[] = [];
  beforeAll(async () => {
    db = await open();
    reader = createRepository(db);
  });
  afterAll(async () => {
    for (const r of running) {
      await r.interfaces.close();
      await r.peer?.stop();
    }
    await db?.close();
  });

  /** Interfaces with one outbound channel to `port`, its delivery worker running, and a writing repository. */
  function deliverTo(port: number, channel: Record<string, unknown> = {}, peer?: Peer) {
    const [outbound] = parseOutboundChannels([
      {
        name: `dest${n++}`,
        host: '127.0.0.1',
        port,
        events: ['*'],
        receivingApplication: 'PEER',
        receivingFacility: 'WARD',
        ackTimeoutSeconds: 2,
        retryDelaySeconds: 0.05,
        maxRetryDelaySeconds: 0.4,
        ...channel,
      },
    ]);
    const interfaces = new Interfaces({
      db,
      baseUrl: testBaseUrl,
      logger: silent,
      channels: [],
      outbound: [outbound],
      outboundPollIntervalMs: 50,
    });
    interfaces.outbound?.start();
    running.push({ interfaces, peer });
    return {
      interfaces,
      channel: outbound as OutboundChannel,
      repo: createRepository(db, interfaces.repositoryOptions),
    };
  }

  async function ward(repo: Repository) {
    const type = (code: string) => ({ coding: [{ code }] });
    const w = await repo.createResource<Resource>({
      resourceType: 'Location',
      name: '4E',
      physicalType: type('wa'),
    });
    const r = await repo.createResource<Resource>({
      resourceType: 'Location',
      name: '136',
      physicalType: type('ro'),
      partOf: { reference: `Location/${w.id}` },
    });
    const bed = (name: string) =>
      repo.createResource<Resource>({
        resourceType: 'Location',
        name,
        physicalType: type('bd'),
        partOf: { reference: `Location/${r.id}` },
      });
    return { b1: await bed('A'), b2: await bed('B') };
  }

  const patientIn = async (repo: Repository) => repo.createResource(testPatient());
  const encounterOf = (patient: Resource, fields: Record<string, unknown>): Resource => ({
    resourceType: 'Encounter',
    status: 'planned',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: `Patient/${patient.id}` },
    ...fields,
  });

  it('follows a stay: admit → A01, transfer → A02, discharge → A03, update → A08; all acknowledged in the store', async () => {
    const peer = await new Peer().start();
    const { repo, channel } = deliverTo(peer.port, {}, peer);
    const { b1, b2 } = await ward(repo);
    const patient = await patientIn(repo);
    const mrn = (patient.identifier as { value: string }[])[0].value;
    const admitted = await repo.createResource(
      encounterOf(patient, {
        status: 'in-progress',
        period: { start: '2026-01-10T08:00:00Z' },
        location: [{ location: { reference: `Location/${b1.id}` }, status: 'active' }],
      }),
    );
    const a01 = await waitFor('A01', () => peer.received[0]);
    expect(a01.get('MSH-9.2')).toBe('A01');
    expect(a01.get('MSH-5')).toBe('PEER');
    expect(a01.get('MSH-6')).toBe('WARD');
    expect(a01.get('PID-3.1')).toBe(mrn);
    expect(a01.get('PID-3.4.2')).toBe('http://hospitium.test/mrn');
    expect(a01.get('PID-5.1')).toBe('Nightingale');
    expect(a01.get('PID-7')).toBe('18200512');
    expect(a01.get('PID-8')).toBe('F');
    expect(a01.get('PV1-2')).toBe('I');
    expect([a01.get('PV1-3.1'), a01.get('PV1-3.2'), a01.get('PV1-3.3')]).toEqual(['4E', '136', 'A']);
    expect(a01.get('PV1-19')).toBe(admitted.id);
    expect(a01.get('PV1-44')).toBe('20260110080000+0000');

    const { resource: moved } = await repo.updateResource({
      ...admitted,
      location: [
        { location: { reference: `Location/${b1.id}` }, status: 'completed' },
        { location: { reference: `Location/${b2.id}` }, status: 'active' },
      ],
    });
    const a02 = await waitFor('A02', () => peer.received[1]);
    expect(a02.get('MSH-9.2')).toBe('A02');
    expect([a02.get('PV1-3.3'), a02.get('PV1-6.3')]).toEqual(['B', 'A']);

    await repo.updateResource({
      ...moved,
      status: 'finished',
      period: { start: '2026-01-10T08:00:00Z', end: '2026-01-12T10:00:00Z' },
    });
    const a03 = await waitFor('A03', () => peer.received[2]);
    expect(a03.get('MSH-9.2')).toBe('A03');
    expect(a03.get('PV1-45')).toBe('20260112100000+0000');

    await repo.updateResource({ ...patient, name: [{ family: 'Seacole', given: ['Mary'] }] });
    const a08 = await waitFor('A08', () => peer.received[3]);
    expect(a08.get('MSH-9.2')).toBe('A08');
    expect(a08.get('PID-5.1')).toBe('Seacole');
    expect(peer.types()).toEqual(['ADT^A01', 'ADT^A02', 'ADT^A03', 'ADT^A08']);

    const stored = await waitFor('all acknowledged', async () => {
      const { messages } = await searchMessages(db, { channel: channel.name, count: 10, offset: 0 });
      return messages.length === 4 && messages.every((m) => m.status === 'acknowledged')
        ? messages
        : undefined;
    });
    expect(stored.every((m) => m.direction === 'outbound' && m.ackCode === 'AA' && m.attempts === 1)).toBe(
      true,
    );
    const byControlId = await searchMessages(db, {
      controlId: a02.controlId,
      patient: mrn,
      type: 'ADT^A02',
      direction: 'outbound',
      since: '2026-01-01',
      count: 5,
      offset: 0,
    });
    expect(byControlId.messages).toHaveLength(1);
    const full = await getMessage(db, byControlId.messages[0].id);
    expect(full?.raw).toContain('ADT^A02');
    expect(full?.ack).toContain(`MSA|AA|${a02.controlId}`);
  });

  it('sends an order as ORM^O01 and a final report with its observations as ORU^R01', async () => {
    const peer = await new Peer().start();
    const { repo } = deliverTo(peer.port, { events: ['ORM^O01', 'ORU^R01'] }, peer);
    const patient = await patientIn(repo);
    const order = await repo.createResource<Resource>({
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      identifier: [{ system: 'urn:hospitium:hl7v2:authority:CPOE', value: `ORD${n}` }],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }] },
      subject: { reference: `Patient/${patient.id}` },
    });
    const orm = await waitFor('ORM', () => peer.received[0]);
    expect(orm.get('MSH-9')).toBe('ORM');
    expect([orm.get('ORC-1'), orm.get('ORC-2'), orm.get('OBR-4.1')]).toEqual(['NW', `ORD${n}`, '2345-7']);

    // One transaction: the report (final) before its observation, as a bundle may order them.
    await repo.withTransaction(async (tx) => {
      const obsId = crypto.randomUUID();
      await tx.createResource({
        resourceType: 'DiagnosticReport',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '24323-8' }] },
        subject: { reference: `Patient/${patient.id}` },
        basedOn: [{ reference: `ServiceRequest/${order.id}` }],
        result: [{ reference: `Observation/${obsId}` }],
      });
      await tx.createResource(
        {
          resourceType: 'Observation',
          status: 'final',
          code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] },
          subject: { reference: `Patient/${patient.id}` },
          valueQuantity: { value: 182, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
          referenceRange: [{ low: { value: 70 }, high: { value: 99 } }],
          interpretation: [{ coding: [{ code: 'H' }] }],
        },
        { id: obsId },
      );
    });
    const oru = await waitFor('ORU', () => peer.received[1]);
    expect(oru.get('MSH-9')).toBe('ORU');
    expect(oru.get('OBR-2')).toBe(`ORD${n}`);
    expect(oru.get('OBR-25')).toBe('F');
    expect([
      oru.get('OBX-2'),
      oru.get('OBX-5'),
      oru.get('OBX-6'),
      oru.get('OBX-7'),
      oru.get('OBX-8'),
    ]).toEqual(['NM', '182', 'mg/dL', '70-99', 'H']);
  });

  it('retries with backoff while the destination is down, then delivers when it comes up', async () => {
    const port = await freePort();
    const { repo, channel } = deliverTo(port, { maxAttempts: 50 });
    const patient = await patientIn(repo);
    await repo.createResource(encounterOf(patient, { status: 'in-progress' }));
    const failing = await waitFor('two failed attempts', async () => {
      const [row] = await listOutbox(db, channel.name);
      return row?.attempts >= 2 ? row : undefined;
    });
    const down = await getMessage(db, failing.messageId as string);
    expect(down).toMatchObject({ status: 'error', direction: 'outbound' });
    expect(down?.errors[0].text).toMatch(/Cannot connect/);
    const peer = await new Peer().start(port);
    running.push({ interfaces: running[running.length - 1].interfaces, peer });
    await waitFor('delivery', () => peer.received[0]);
    const done = await waitFor('acknowledged', async () => {
      const m = await getMessage(db, failing.messageId as string);
      return m?.status === 'acknowledged' ? m : undefined;
    });
    expect(done.attempts).toBeGreaterThan(2);
    const [row] = await listOutbox(db, channel.name);
    expect(row.status).toBe('delivered');
  });

  it('makes a message the peer keeps refusing (AE) a dead letter after maxAttempts, replayable', async () => {
    const peer = await new Peer().start();
    peer.answer = () => 'AE';
    const { interfaces, repo, channel } = deliverTo(peer.port, { maxAttempts: 3 }, peer);
    const patient = await patientIn(repo);
    await repo.createResource(encounterOf(patient, { status: 'in-progress' }));
    const dead = await waitFor('dead letter', async () => {
      const { messages } = await searchMessages(db, {
        channel: channel.name,
        status: 'dead',
        count: 5,
        offset: 0,
      });
      return messages[0];
    });
    expect(dead).toMatchObject({ attempts: 3, ackCode: 'AE', direction: 'outbound' });
    expect(peer.received).toHaveLength(3);
    expect(new Set(peer.received.map((m) => m.controlId)).size).toBe(1);
    expect((await listOutbox(db, channel.name))[0].status).toBe('dead');

    // The analyst finds it through the message-store API and replays it once the peer is fixed.
    const server = await startTestApp(
      { repository: repo, database: db, interfaces, config: { baseUrl: testBaseUrl } },
      async () => undefined,
    );
    const listed = await server.get(`/hl7/messages?direction=outbound&channel=${channel.name}&status=dead`);
    expect(listed.status).toBe(200);
    expect((listed.body as unknown as { messages: { id: string }[] }).messages.map((m) => m.id)).toEqual([
      dead.id,
    ]);
    expect((await server.get('/hl7/messages?direction=sideways')).status).toBe(400);
    peer.answer = () => 'AA';
    const replayed = await server.request('POST', `/hl7/messages/${dead.id}/$replay`);
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ id: dead.id, status: 'sent' });
    const ok = await waitFor('acknowledged after replay', async () => {
      const m = await getMessage(db, dead.id);
      return m?.status === 'acknowledged' ? m : undefined;
    });
    await server.app.close();
    expect(ok.ackCode).toBe('AA');
    expect(peer.received).toHaveLength(4);
  });

  it('sends what an inbound HL7 message changed: an A01 received becomes an A01 sent', async () => {
    const peer = await new Peer().start();
    const { interfaces } = deliverTo(peer.port, { events: ['ADT^A01'] }, peer);
    const receipt = await interfaces.engine.receive(
      admit({ mrn: `IN${n}`, visit: `VIN${n}`, controlId: `CIN${n}` }),
      defaultChannel(0),
    );
    expect(parseMessage(receipt.ack).get('MSA-1')).toBe('AA');
    const sent = await waitFor('the forwarded A01', () => peer.received[0]);
    expect(sent.get('PID-3.1')).toBe(`IN${n}`);
    expect(sent.get('PID-3.4.2')).toBe('2.16.840.1.113883.19.5');
    expect(sent.get('PV1-19')).toBe(`VIN${n}`);
    expect([sent.get('PV1-3.1'), sent.get('PV1-3.2'), sent.get('PV1-3.3')]).toEqual(['4E', '136', 'B']);
    expect(sent.get('PV1-7.2')).toBe('Attending');
  });

  it("keeps each patient's order under retries while other patients go on", async () => {
    const peer = await new Peer().start();
    const { repo } = deliverTo(peer.port, { maxAttempts: 20 }, peer);
    const slow = await patientIn(repo);
    const other = await patientIn(repo);
    let refusals = 3;
    // The peer refuses slow's first message three times.
    peer.answer = (m) =>
      m.get('PID-3') === (slow.identifier as { value: string }[])[0].value &&
      m.get('MSH-9.2') === 'A01' &&
      refusals-- > 0
        ? 'AE'
        : 'AA';
    // Queued together (one transaction): slow's admission and discharge, then other's admission.
    await repo.withTransaction(async (tx) => {
      const admitted = await tx.createResource(encounterOf(slow, { status: 'in-progress' }));
      await tx.updateResource({ ...admitted, status: 'finished' });
      await tx.createResource(encounterOf(other, { status: 'in-progress' }));
    });
    await waitFor('all three acknowledged', () => peer.received.length >= 6 || undefined);
    const who = (m: Hl7Message) =>
      `${m.get('PID-3') === (slow.identifier as { value: string }[])[0].value ? 'slow' : 'other'} ${m.get('MSH-9.2')}`;
    const order = peer.received.map(who);
    expect(order).toEqual(['slow A01', 'other A01', 'slow A01', 'slow A01', 'slow A01', 'slow A03']);
  });

  it('queues nothing without outbound channels, and nothing for a rolled-back transaction', async () => {
    const none = new Interfaces({ db, baseUrl: testBaseUrl, logger: silent, channels: [] });
    expect(none.changeListener).toBeUndefined();
    const before = (await listOutbox(db)).length;
    const plain = createRepository(db, none.repositoryOptions);
    const p = await plain.createResource(testPatient());
    await plain.createResource(encounterOf(p, { status: 'in-progress' }));
    expect(await listOutbox(db)).toHaveLength(before);

    const peer = await new Peer().start();
    const { interfaces, repo, channel } = deliverTo(peer.port, {}, peer);
    const server: TestServer = await startTestApp(
      { repository: repo, database: db, interfaces, config: { baseUrl: testBaseUrl } },
      async () => undefined,
    );
    const patient = await patientIn(reader);
    const res = await server.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: encounterOf(patient, { status: 'in-progress' }),
          request: { method: 'POST', url: 'Encounter' },
        },
        {
          resource: { resourceType: 'Observation', status: 'not-a-status' },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const ok = await server.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: encounterOf(patient, { status: 'in-progress' }),
          request: { method: 'POST', url: 'Encounter' },
        },
      ],
    });
    expect(ok.status).toBe(200);
    await waitFor('the committed admission', () => peer.received[0]);
    await new Promise((r) => setTimeout(r, 300));
    expect(peer.types()).toEqual(['ADT^A01']);
    expect(await listOutbox(db, channel.name)).toHaveLength(1);
    await server.app.close();
  });
});
