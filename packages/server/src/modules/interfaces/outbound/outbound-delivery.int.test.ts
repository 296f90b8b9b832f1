/** Outbound HL7 v2, how it is delivered: retries, dead letters and replay, per-patient order, nothing queued. */
import { createServer } from 'node:net';
import { createRepository, type Database, type Repository, testDatabases } from '@hospitium/db';
import type { Hl7Message } from '@hospitium/hl7v2';
import { describe, expect, it } from 'vitest';
import { testPatient } from '../../../testing/fixtures.js';
import {
  encounterOf,
  outboundHarness,
  Peer,
  patientIn,
  silent,
  waitFor,
} from '../../../testing/outbound-harness.js';
import { startTestApp, type TestServer, testBaseUrl } from '../../../testing/test-server.js';
import { Interfaces } from '../interfaces.js';
import { getMessage, searchMessages } from '../store/message-store.js';
import { listOutbox } from './outbox.js';

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

describe.each(testDatabases())('outbound HL7 v2 (delivery, retries, order) on $name', ({ open }) => {
  let db: Database, reader: Repository;
  const { running, deliverTo } = outboundHarness(open, (opened) => ({ db, reader } = opened));

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
