import type { ChangeListener, Queryable, ResourceChange } from '@hospitium/db';
import { type OutboundChannel, orderMessage, wantsEvent } from '../channels/outbound-channel.js';
import { changeEvents } from './events.js';

/** One event waiting for (or done with) delivery to one destination. */
export interface OutboxEntry {
  id: string;
  destination: string;
  event: string;
  patient: string;
  focus: string;
  focusVersion: number;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  messageId?: string;
}

/**
 * The repository change listener that fills the outbox: for each change, the events it raises
 * (`changeEvents`), and for each outbound channel that wants the resulting message type one row,
 * written in the write's own transaction (so a rolled-back change sends nothing). `wake` is
 * called when rows were written, so the worker looks soon after COMMIT. Without outbound
 * channels there is no listener at all, and writes cost nothing extra.
 */
export function outboxListener(
  channels: readonly OutboundChannel[],
  wake: () => void,
): ChangeListener | undefined {
  if (channels.length === 0) return undefined;
  const wantsUpdates = channels.some((c) => wantsEvent(c, 'ADT^A08') || wantsEvent(c, 'ADT^A31'));
  return async (q: Queryable, changes: readonly ResourceChange[]) => {
    const rows: [string, string, string, string, number][] = [];
    for (const change of changes) {
      for (const e of changeEvents(change)) {
        let update: string | undefined;
        if (e.kind === 'patient-update') {
          if (!wantsUpdates) continue;
          update = (await hasEncounter(q, e.patient)) ? 'ADT^A08' : 'ADT^A31';
        }
        for (const channel of channels) {
          const type = e.kind === 'order' ? orderMessage(channel) : (update ?? e.event);
          if (type && wantsEvent(channel, type))
            rows.push([channel.name, type, e.patient, e.focus, e.focusVersion]);
        }
      }
    }
    if (rows.length === 0) return;
    const column = (i: number) => rows.map((r) => r[i]);
    await q.query(
      `INSERT INTO outbox (destination, event, patient, focus, focus_version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])`,
      [column(0), column(1), column(2), column(3), column(4)],
    );
    wake();
  };
}

/** True when some encounter names the patient (an update is then A08, else A31). */
async function hasEncounter(q: Queryable, patient: string): Promise<boolean> {
  const [, id] = patient.split('/');
  const res = await q.query(
    `SELECT 1 FROM idx_reference
     WHERE resource_type = 'Encounter' AND param IN ('subject', 'patient') AND target_id = $1 AND target_type = 'Patient'
     LIMIT 1`,
    [id],
  );
  return res.rows.length > 0;
}

interface OutboxRow {
  id: string | number;
  destination: string;
  event: string;
  patient: string;
  focus: string;
  focus_version: number;
  status: OutboxEntry['status'];
  attempts: number;
  message_id: string | null;
}

function toEntry(r: OutboxRow): OutboxEntry {
  return {
    id: String(r.id),
    destination: r.destination,
    event: r.event,
    patient: r.patient,
    focus: r.focus,
    focusVersion: r.focus_version,
    status: r.status,
    attempts: r.attempts,
    ...(r.message_id ? { messageId: r.message_id } : {}),
  };
}

/**
 * Takes the next event due for a destination, in order per patient: the oldest pending row whose
 * retry time has come, not leased by another worker, and with no earlier pending row of the same
 * patient (a retrying event holds back the patient's later ones; other patients go on). The row
 * is leased for `leaseSeconds` in a short transaction; `FOR UPDATE SKIP LOCKED` lets several
 * server processes share the outbox without taking the same row.
 */
export async function claimNext(
  db: { transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> },
  destination: string,
  leaseSeconds: number,
): Promise<OutboxEntry | undefined> {
  return db.transaction(async (q) => {
    const res = await q.query<OutboxRow>(
      `SELECT o.* FROM outbox o
       WHERE o.destination = $1 AND o.status = 'pending' AND o.next_attempt_at <= now()
         AND (o.leased_until IS NULL OR o.leased_until < now())
         AND NOT EXISTS (
           SELECT 1 FROM outbox p
           WHERE p.destination = o.destination AND p.patient = o.patient AND p.status = 'pending' AND p.id < o.id)
       ORDER BY o.id LIMIT 1
       FOR UPDATE SKIP LOCKED`,
      [destination],
    );
    const row = res.rows[0];
    if (!row) return undefined;
    await q.query(
      `UPDATE outbox SET leased_until = now() + make_interval(secs => $2), updated_at = now() WHERE id = $1`,
      [row.id, leaseSeconds],
    );
    return toEntry(row);
  });
}

/** Links the rendered message to its event. */
export async function setMessage(q: Queryable, id: string, messageId: string): Promise<void> {
  await q.query('UPDATE outbox SET message_id = $2::uuid, updated_at = now() WHERE id = $1', [id, messageId]);
}

/** The event is done: acknowledged by the peer. */
export async function markDelivered(q: Queryable, id: string, attempts: number): Promise<void> {
  await q.query(
    `UPDATE outbox SET status = 'delivered', attempts = $2, leased_until = NULL, last_error = NULL,
       updated_at = now() WHERE id = $1`,
    [id, attempts],
  );
}

/** An attempt failed: retry after `delayMs`, or give up (`dead`). */
export async function markFailed(
  q: Queryable,
  id: string,
  attempts: number,
  error: string,
  retry: { delayMs: number } | 'dead',
): Promise<void> {
  await q.query(
    `UPDATE outbox SET attempts = $2, last_error = $3, leased_until = NULL, updated_at = now(),
       status = CASE WHEN $4::boolean THEN 'dead' ELSE 'pending' END,
       next_attempt_at = now() + make_interval(secs => $5)
     WHERE id = $1`,
    [id, attempts, error, retry === 'dead', retry === 'dead' ? 0 : retry.delayMs / 1000],
  );
}

/**
 * Puts the event behind an outbound message back in the queue (replay of a dead letter or a
 * message to send again): pending, attempts from zero, due now. Returns false when the message
 * has no event.
 */
export async function requeueMessage(q: Queryable, messageId: string): Promise<boolean> {
  const res = await q.query(
    `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now(), leased_until = NULL,
       last_error = NULL, updated_at = now()
     WHERE message_id = $1::uuid RETURNING id`,
    [messageId],
  );
  return res.rows.length > 0;
}

/** Every outbox row, oldest first (tests and the analyst's view of the queue). */
export async function listOutbox(q: Queryable, destination?: string): Promise<OutboxEntry[]> {
  const res = await q.query<OutboxRow>(
    `SELECT * FROM outbox ${destination ? 'WHERE destination = $1' : ''} ORDER BY id`,
    destination ? [destination] : [],
  );
  return res.rows.map(toEntry);
}
