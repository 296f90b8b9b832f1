import type { Queryable } from '@hospitium/db';
import type { MessageQuery, MessageStatus, StoredMessage } from './types.js';

/**
 * The columns written when a message is stored: a stored message without what the store itself
 * keeps (counters, timestamps), plus the resend key; errors and result as the caller has them.
 */
export type MessageRow = Omit<
  StoredMessage,
  'errors' | 'result' | 'attempts' | 'resends' | 'receivedAt' | 'processedAt' | 'updatedAt'
> & {
  dedupKey?: string;
  errors: unknown[];
  result?: string[];
};

const columns = `id, channel, direction, status, raw, message_type, control_id, sending_application,
  sending_facility, receiving_application, receiving_facility, version, patient_ids, dedup_key,
  ack_code, ack, error, result, remote_address`;

const values = (r: MessageRow) => [
  r.id,
  r.channel,
  r.direction,
  r.status,
  r.raw,
  r.messageType ?? null,
  r.controlId ?? null,
  r.sendingApplication ?? null,
  r.sendingFacility ?? null,
  r.receivingApplication ?? null,
  r.receivingFacility ?? null,
  r.version ?? null,
  r.patientIds,
  r.dedupKey ?? null,
  r.ackCode ?? null,
  r.ack ?? null,
  JSON.stringify(r.errors),
  JSON.stringify(r.result ?? []),
  r.remoteAddress ?? null,
];

const placeholders = `$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::text[], $14, $15, $16,
  $17::text::jsonb, $18::text::jsonb, $19`;

/**
 * Records a message as processed inside the transaction that applied it (its last statement,
 * with the result): inserts it, or takes over the row of an earlier failed attempt (same dedup
 * key, status `error`). Returns false when the key is already processed, rejected or dead — a
 * resend, whose transaction the caller rolls back and answers from the store. On a concurrent
 * resend the second insert waits for the first transaction, then sees it.
 */
export async function claimMessage(q: Queryable, row: MessageRow): Promise<boolean> {
  const res = await q.query<{ id: string }>(
    `INSERT INTO hl7_message (${columns}, processed_at) VALUES (${placeholders}, now())
     ON CONFLICT (dedup_key) DO UPDATE SET
       status = EXCLUDED.status, raw = EXCLUDED.raw, patient_ids = EXCLUDED.patient_ids,
       ack_code = EXCLUDED.ack_code, ack = EXCLUDED.ack, error = EXCLUDED.error, result = EXCLUDED.result,
       attempts = hl7_message.attempts + 1, processed_at = now(), updated_at = now()
     WHERE hl7_message.status = 'error'
     RETURNING id`,
    values(row),
    { prepare: true },
  );
  return res.rows.length === 1;
}

/**
 * Records a failed or refused message (outside the failed transaction). A keyed message that
 * failed before counts one more attempt and becomes `dead` at `maxAttempts`. Returns the row as
 * stored, or undefined when its key is already processed or dead (a resend, left untouched).
 */
export async function recordFailure(
  q: Queryable,
  row: MessageRow,
  maxAttempts: number,
): Promise<StoredMessage | undefined> {
  const res = await q.query<DbRow>(
    `INSERT INTO hl7_message (${columns}) VALUES (${placeholders})
     ON CONFLICT (dedup_key) DO UPDATE SET
       attempts = hl7_message.attempts + 1,
       status = CASE WHEN hl7_message.attempts + 1 >= $20 THEN 'dead' ELSE EXCLUDED.status END,
       raw = EXCLUDED.raw, ack_code = EXCLUDED.ack_code, ack = EXCLUDED.ack, error = EXCLUDED.error,
       patient_ids = EXCLUDED.patient_ids, updated_at = now()
     WHERE hl7_message.status = 'error'
     RETURNING *`,
    [...values(row), maxAttempts],
  );
  return res.rows[0] ? toMessage(res.rows[0]) : undefined;
}

/** Counts a resend of an already stored message and returns it. */
export async function noteResend(q: Queryable, dedupKey: string): Promise<StoredMessage | undefined> {
  const res = await q.query<DbRow>(
    'UPDATE hl7_message SET resends = resends + 1, updated_at = now() WHERE dedup_key = $1 RETURNING *',
    [dedupKey],
  );
  return res.rows[0] ? toMessage(res.rows[0]) : undefined;
}

/** Rewrites a replayed message's outcome by id. */
export async function updateOutcome(
  q: Queryable,
  id: string,
  outcome: {
    status: MessageStatus;
    ackCode: string;
    ack: string;
    errors: unknown[];
    result?: string[];
    patientIds?: string[];
  },
): Promise<void> {
  await q.query(
    `UPDATE hl7_message SET status = $2, ack_code = $3, ack = $4, error = $5::text::jsonb,
       result = coalesce($6::text::jsonb, result), patient_ids = coalesce($7::text[], patient_ids),
       attempts = attempts + 1, updated_at = now(),
       processed_at = CASE WHEN $2 = 'processed' THEN now() ELSE processed_at END
     WHERE id = $1::uuid`,
    [
      id,
      outcome.status,
      outcome.ackCode,
      outcome.ack,
      JSON.stringify(outcome.errors),
      outcome.result ? JSON.stringify(outcome.result) : null,
      outcome.patientIds ?? null,
    ],
  );
}

/**
 * Deletes a message and the outbox rows that name it, in one statement. The caller has checked
 * it is not still being delivered. Returns false when there was no such message.
 */
export async function deleteMessage(q: Queryable, id: string): Promise<boolean> {
  const res = await q.query<{ id: string }>(
    `WITH gone AS (DELETE FROM hl7_message WHERE id = $1::uuid RETURNING id),
          rows AS (DELETE FROM outbox WHERE message_id IN (SELECT id FROM gone) RETURNING id)
     SELECT id::text FROM gone`,
    [id],
  );
  return res.rows.length === 1;
}

export async function getMessage(q: Queryable, id: string): Promise<StoredMessage | undefined> {
  const res = await q.query<DbRow>('SELECT * FROM hl7_message WHERE id = $1::uuid', [id]);
  return res.rows[0] ? toMessage(res.rows[0]) : undefined;
}

/** Messages matching the query, newest first. */
export async function searchMessages(
  q: Queryable,
  query: MessageQuery,
): Promise<{ messages: StoredMessage[]; hasMore: boolean }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (query.patient) {
    if (query.patient.includes('|')) add((p) => `patient_ids @> ARRAY[${p}]::text[]`, query.patient);
    else
      add(
        (p) => `EXISTS (SELECT 1 FROM unnest(patient_ids) AS pid WHERE split_part(pid, '|', 2) = ${p})`,
        query.patient,
      );
  }
  if (query.type) {
    if (query.type.includes('^')) add((p) => `message_type = ${p}`, query.type);
    else add((p) => `split_part(message_type, '^', 1) = ${p}`, query.type);
  }
  if (query.controlId) add((p) => `control_id = ${p}`, query.controlId);
  if (query.status) add((p) => `status = ${p}`, query.status);
  if (query.since) add((p) => `received_at >= ${p}::timestamptz`, query.since);
  if (query.channel) add((p) => `channel = ${p}`, query.channel);
  if (query.direction) add((p) => `direction = ${p}`, query.direction);
  params.push(query.count + 1, query.offset);
  const res = await q.query<DbRow>(
    `SELECT * FROM hl7_message ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY received_at DESC, id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { messages: res.rows.slice(0, query.count).map(toMessage), hasMore: res.rows.length > query.count };
}

interface DbRow {
  id: string;
  channel: string;
  direction: 'inbound' | 'outbound';
  status: MessageStatus;
  raw: string;
  message_type: string | null;
  control_id: string | null;
  sending_application: string | null;
  sending_facility: string | null;
  receiving_application: string | null;
  receiving_facility: string | null;
  version: string | null;
  patient_ids: string[];
  ack_code: string | null;
  ack: string | null;
  error: unknown;
  result: unknown;
  attempts: number;
  resends: number;
  remote_address: string | null;
  received_at: Date | string;
  processed_at: Date | string | null;
  updated_at: Date | string;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toMessage(r: DbRow): StoredMessage {
  return {
    id: r.id,
    channel: r.channel,
    direction: r.direction,
    status: r.status,
    raw: r.raw,
    messageType: opt(r.message_type),
    controlId: opt(r.control_id),
    sendingApplication: opt(r.sending_application),
    sendingFacility: opt(r.sending_facility),
    receivingApplication: opt(r.receiving_application),
    receivingFacility: opt(r.receiving_facility),
    version: opt(r.version),
    patientIds: r.patient_ids ?? [],
    ackCode: opt(r.ack_code),
    ack: opt(r.ack),
    errors: Array.isArray(r.error) ? (r.error as StoredMessage['errors']) : [],
    result: Array.isArray(r.result) ? (r.result as string[]) : [],
    attempts: r.attempts,
    resends: r.resends,
    remoteAddress: opt(r.remote_address),
    receivedAt: iso(r.received_at),
    processedAt: r.processed_at ? iso(r.processed_at) : undefined,
    updatedAt: iso(r.updated_at),
  };
}

/** An outbound message as the worker first stores it (status `sent`, no attempt counted yet). */
export type OutboundRow = Pick<
  StoredMessage,
  | 'id'
  | 'channel'
  | 'raw'
  | 'messageType'
  | 'controlId'
  | 'sendingApplication'
  | 'sendingFacility'
  | 'receivingApplication'
  | 'receivingFacility'
  | 'version'
  | 'patientIds'
  | 'remoteAddress'
  | 'result'
> & { status: MessageStatus; errors?: unknown[] };

/** Stores an outbound message (direction `outbound`), before its first attempt. */
export async function recordOutbound(q: Queryable, row: OutboundRow): Promise<void> {
  await q.query(
    `INSERT INTO hl7_message (${columns}, attempts) VALUES (${placeholders}, 0)`,
    values({ ...row, direction: 'outbound', errors: row.errors ?? [] }),
  );
}

/**
 * Records one delivery attempt of an outbound message: the status it is now in (`acknowledged`,
 * `error` while retrying, `dead`), the ACK received (if any) and the problem.
 */
export async function noteAttempt(
  q: Queryable,
  id: string,
  outcome: { status: MessageStatus; attempts: number; ackCode?: string; ack?: string; errors: unknown[] },
): Promise<void> {
  await q.query(
    `UPDATE hl7_message SET status = $2, attempts = $3, ack_code = $4, ack = $5, error = $6::text::jsonb,
       updated_at = now(), processed_at = CASE WHEN $2 = 'acknowledged' THEN now() ELSE processed_at END
     WHERE id = $1::uuid`,
    [
      id,
      outcome.status,
      outcome.attempts,
      outcome.ackCode ?? null,
      outcome.ack ?? null,
      JSON.stringify(outcome.errors),
    ],
  );
}
