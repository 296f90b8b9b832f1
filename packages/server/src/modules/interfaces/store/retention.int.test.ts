import { randomUUID } from 'node:crypto';
import { type Database, testDatabases } from '@hospitium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultChannel } from '../channels/channel.js';
import { InterfaceEngine } from '../engine/engine.js';
import { admit } from '../testing/messages.js';
import { recordOutbound } from './message-store.js';
import { RetentionWorker } from './retention-worker.js';

const silent = { error() {}, warn() {}, info() {} };
let n = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${n++}`;

describe.each(testDatabases())('message-store retention on $name', ({ open }) => {
  let db: Database;
  let engine: InterfaceEngine;
  beforeAll(async () => {
    db = await open();
    engine = new InterfaceEngine({ db, baseUrl: 'http://test.hospitium/fhir', logger: silent });
  });
  afterAll(() => db?.close());

  /** An inbound message through the engine; its stored id. */
  const inbound = async (text: string) => (await engine.receive(text, defaultChannel(0))).messageId as string;
  const outbound = async (status: 'acknowledged' | 'dead' | 'sent') => {
    const id = randomUUID();
    await recordOutbound(db, {
      id,
      channel: 'lis',
      raw: 'MSH|^~\\&|HOSPITIUM|H|LIS|L|20260101||ADT^A01|X|P|2.5.1',
      status,
      patientIds: [],
      result: [],
    });
    return id;
  };
  const outboxRow = async (status: 'pending' | 'delivered' | 'dead') =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO outbox (destination, event, patient, focus, focus_version, status)
         VALUES ('lis', 'ADT^A01', 'Patient/1', 'Encounter/1', 1, $1) RETURNING id::text`,
        [status],
      )
    ).rows[0].id;
  const age = async (days: number, messages: string[], outbox: string[]) => {
    await db.query(
      `UPDATE hl7_message SET received_at = now() - make_interval(days => $1),
         processed_at = CASE WHEN processed_at IS NULL THEN NULL ELSE now() - make_interval(days => $1) END
       WHERE id = ANY($2::uuid[])`,
      [days, messages],
    );
    await db.query(
      `UPDATE outbox SET created_at = now() - make_interval(days => $1) WHERE id = ANY($2::bigint[])`,
      [days, outbox],
    );
  };
  const remaining = async (messages: string[], outbox: string[]) => ({
    messages: (
      await db.query<{ id: string }>('SELECT id::text FROM hl7_message WHERE id = ANY($1::uuid[])', [
        messages,
      ])
    ).rows
      .map((r) => r.id)
      .sort(),
    outbox: (
      await db.query<{ id: string }>('SELECT id::text FROM outbox WHERE id = ANY($1::bigint[])', [outbox])
    ).rows
      .map((r) => r.id)
      .sort(),
  });

  /** Old and recent messages and outbox rows of every status. */
  async function fixtures() {
    const old = {
      processed: await inbound(admit({ mrn: unique('M'), visit: unique('V'), controlId: unique('C') })),
      error: await inbound(
        'MSH|^~\\&|LAB|LABFAC|HIS|HOSP|20260101||ADT^A01|' +
          unique('E') +
          '|P|2.5.1\rEVN|A01\rPID|1\rPV1|1|I',
      ),
      rejected: await inbound('not a message'),
      acknowledged: await outbound('acknowledged'),
      dead: await outbound('dead'),
      sent: await outbound('sent'),
    };
    const oldOutbox = {
      delivered: await outboxRow('delivered'),
      deadRow: await outboxRow('dead'),
      pending: await outboxRow('pending'),
    };
    const recent: Record<string, string> = {
      processed: await inbound(admit({ mrn: unique('M'), visit: unique('V'), controlId: unique('C') })),
      acknowledged: await outbound('acknowledged'),
    };
    const recentOutbox = { delivered: await outboxRow('delivered') };
    // Received long ago, but replayed (processed) yesterday.
    const replayed = await inbound(admit({ mrn: unique('M'), visit: unique('V'), controlId: unique('C') }));
    await age(91, [...Object.values(old), replayed], Object.values(oldOutbox));
    await db.query(`UPDATE hl7_message SET processed_at = now() - interval '1 day' WHERE id = $1::uuid`, [
      replayed,
    ]);
    await age(89, Object.values(recent), Object.values(recentOutbox));
    Object.assign(recent, { replayed });
    const statuses = (
      await db.query<{ status: string }>(
        'SELECT status FROM hl7_message WHERE id = ANY($1::uuid[]) ORDER BY status',
        [Object.values(old)],
      )
    ).rows.map((r) => r.status);
    expect(statuses).toEqual(['acknowledged', 'dead', 'error', 'processed', 'rejected', 'sent']);
    const all = {
      messages: [...Object.values(old), ...Object.values(recent)],
      outbox: [...Object.values(oldOutbox), ...Object.values(recentOutbox)],
    };
    return { old, oldOutbox, recent, recentOutbox, all };
  }

  it('purges finished messages and delivered outbox rows past retention, in batches, and keeps the rest', async () => {
    const f = await fixtures();
    const worker = new RetentionWorker({ db, logger: silent, days: 90, batchSize: 1, pauseMs: 0 });
    const purged = await worker.purge();
    expect(purged.messages).toBeGreaterThanOrEqual(2);
    expect(purged.outbox).toBeGreaterThanOrEqual(1);
    const left = await remaining(f.all.messages, f.all.outbox);
    expect(left.messages.sort()).toEqual(
      [
        f.old.error,
        f.old.rejected,
        f.old.dead,
        f.old.sent,
        f.recent.processed,
        f.recent.acknowledged,
        f.recent.replayed,
      ].sort(),
    );
    expect(left.outbox.sort()).toEqual(
      [f.oldOutbox.deadRow, f.oldOutbox.pending, f.recentOutbox.delivered].sort(),
    );
    // Nothing more to do: a second run deletes nothing of ours.
    await worker.purge();
    expect(await remaining(f.all.messages, f.all.outbox)).toEqual(left);
  });

  it('keeps everything when retention is 0, and never schedules a purge', async () => {
    const f = await fixtures();
    const worker = new RetentionWorker({ db, logger: silent, days: 0, intervalMs: 1 });
    worker.start();
    expect(await worker.purge()).toEqual({ messages: 0, outbox: 0 });
    await new Promise((r) => setTimeout(r, 50));
    await worker.stop();
    const left = await remaining(f.all.messages, f.all.outbox);
    expect(left.messages).toHaveLength(f.all.messages.length);
    expect(left.outbox).toHaveLength(f.all.outbox.length);
  });

  it('purges on its timer once started, and stops', async () => {
    const f = await fixtures();
    const worker = new RetentionWorker({ db, logger: silent, days: 90, intervalMs: 20, pauseMs: 0 });
    worker.start();
    const deadline = Date.now() + 5_000;
    while ((await remaining([f.old.processed], [])).messages.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(
      (await remaining([f.old.processed, f.old.acknowledged], [f.oldOutbox.delivered])).messages,
    ).toEqual([]);
    expect((await remaining([], [f.oldOutbox.delivered])).outbox).toEqual([]);
    expect((await remaining([f.old.error], [])).messages).toEqual([f.old.error]);
  });
});
