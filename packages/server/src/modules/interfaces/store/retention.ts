import type { Queryable } from '@hospitium/db';

/** What one purge batch removed. */
export interface PurgedCounts {
  messages: number;
  outbox: number;
}

/**
 * Deletes at most `limit` messages that finished well — inbound `processed`, outbound
 * `acknowledged` — received and finished before `cutoff` (a dead letter replayed today is kept
 * for the whole period again), and at most `limit` delivered outbox rows created
 * before it. Messages in `error`, `dead`, `rejected`, `received` or `sent` and outbox rows
 * `pending` or `dead` are never touched: an analyst still has to look at them (replay or delete).
 * One short statement each, so a purge never holds locks for long.
 */
export async function purgeExpired(q: Queryable, cutoff: Date, limit: number): Promise<PurgedCounts> {
  const messages = await q.query(
    `DELETE FROM hl7_message WHERE id IN (
       SELECT id FROM hl7_message
       WHERE status IN ('processed', 'acknowledged') AND received_at < $1::timestamptz
         AND coalesce(processed_at, received_at) < $1::timestamptz
       ORDER BY received_at LIMIT $2)`,
    [cutoff.toISOString(), limit],
  );
  const outbox = await q.query(
    `DELETE FROM outbox WHERE id IN (
       SELECT id FROM outbox WHERE status = 'delivered' AND created_at < $1::timestamptz
       ORDER BY created_at LIMIT $2)`,
    [cutoff.toISOString(), limit],
  );
  return { messages: messages.rowCount ?? 0, outbox: outbox.rowCount ?? 0 };
}
