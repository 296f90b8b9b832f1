import { badRequest, conflict, notFound } from '@hospitium/fhir';
import type { Interfaces } from '../interfaces.js';
import { deleteMessage, getMessage, searchMessages } from '../store/message-store.js';
import {
  type MessageQuery,
  type MessageStatus,
  messageStatuses,
  type StoredMessage,
} from '../store/types.js';

/** A JSON answer of the message-store API. */
export interface Hl7ApiResponse {
  status: number;
  body: unknown;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const known = new Set([
  'patient',
  'type',
  'controlId',
  'status',
  'since',
  'channel',
  'direction',
  '_count',
  '_offset',
]);

/** Parses `?patient=&type=&controlId=&status=&since=&_count=&_offset=`; every bad parameter is a 400 naming it. */
export function parseMessageQuery(query: URLSearchParams): MessageQuery {
  for (const key of query.keys())
    if (!known.has(key)) throw badRequest(`Unknown parameter '${key}'; use ${[...known].join(', ')}`, key);
  const one = (key: string) => {
    const all = query.getAll(key);
    if (all.length > 1) throw badRequest(`Parameter '${key}' may appear once`, key);
    return all[0] === '' ? undefined : all[0];
  };
  const type = one('type');
  if (type && !/^[A-Z0-9]{3}(\^[A-Z0-9]{3})?$/.test(type))
    throw badRequest(`type '${type}' must look like ADT or ADT^A01`, 'type');
  const status = one('status');
  if (status && !messageStatuses.includes(status as MessageStatus)) {
    throw badRequest(`status '${status}' must be one of ${messageStatuses.join(', ')}`, 'status');
  }
  const since = one('since');
  if (
    since &&
    (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(since) || Number.isNaN(Date.parse(since)))
  ) {
    throw badRequest(
      `since '${since}' must be a date or date-time (2026-01-31, 2026-01-31T08:00:00Z)`,
      'since',
    );
  }
  const direction = one('direction');
  if (direction && direction !== 'inbound' && direction !== 'outbound')
    throw badRequest(`direction '${direction}' must be inbound or outbound`, 'direction');
  const int = (key: string, fallback: number, max: number) => {
    const v = one(key);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) > max)
      throw badRequest(`${key} must be a whole number up to ${max}`, key);
    return Number(v);
  };
  return {
    patient: one('patient'),
    type,
    controlId: one('controlId'),
    status: status as MessageStatus | undefined,
    since,
    channel: one('channel'),
    direction: direction as MessageQuery['direction'],
    count: Math.max(1, int('_count', 50, 1000)),
    offset: int('_offset', 0, 1_000_000),
  };
}

/** A message without its raw text and ACK (the list view). */
function summary(m: StoredMessage): Omit<StoredMessage, 'raw' | 'ack'> {
  const { raw: _raw, ack: _ack, ...rest } = m;
  return rest;
}

/** `GET /hl7/messages?…` — newest first, `next` offset when there are more. */
export async function listMessages(
  db: Parameters<typeof searchMessages>[0],
  query: URLSearchParams,
): Promise<Hl7ApiResponse> {
  const q = parseMessageQuery(query);
  const { messages, hasMore } = await searchMessages(db, q);
  return {
    status: 200,
    body: {
      count: messages.length,
      offset: q.offset,
      ...(hasMore ? { nextOffset: q.offset + q.count } : {}),
      messages: messages.map(summary),
    },
  };
}

/** `GET /hl7/messages/{id}` — the message with its raw text and the ACK sent. */
export async function readMessage(db: Parameters<typeof getMessage>[0], id: string): Promise<Hl7ApiResponse> {
  if (!uuid.test(id)) throw notFound(`HL7 message ${id} not found`);
  const message = await getMessage(db, id);
  if (!message) throw notFound(`HL7 message ${id} not found`);
  return { status: 200, body: message };
}

/** `POST /hl7/messages/{id}/$replay` — applies the stored message again and returns its new state. */
export async function replayMessage(
  interfaces: Interfaces,
  db: Parameters<typeof getMessage>[0],
  id: string,
): Promise<Hl7ApiResponse> {
  if (!uuid.test(id)) throw notFound(`HL7 message ${id} not found`);
  const stored = await getMessage(db, id);
  if (!stored) throw notFound(`HL7 message ${id} not found`);
  if (stored.direction === 'outbound') {
    if (!interfaces.outbound) throw badRequest('Outbound delivery is not running in this server');
    return { status: 200, body: await interfaces.outbound.replay(id) };
  }
  return { status: 200, body: await interfaces.engine.replay(id, interfaces.channel(stored.channel)) };
}

/**
 * `DELETE /hl7/messages/{id}` — an analyst gives up on a message (a dead letter, an unreadable
 * message): it leaves the store with its outbox rows. An outbound message still being delivered
 * (`sent`, or `error` while it is retried) cannot be deleted: 409.
 */
export async function removeMessage(
  db: Parameters<typeof getMessage>[0],
  id: string,
): Promise<Hl7ApiResponse> {
  if (!uuid.test(id)) throw notFound(`HL7 message ${id} not found`);
  const stored = await getMessage(db, id);
  if (!stored) throw notFound(`HL7 message ${id} not found`);
  if (stored.direction === 'outbound' && (stored.status === 'sent' || stored.status === 'error'))
    throw conflict(
      `HL7 message ${id} is still being delivered (${stored.status}); delete it once it is acknowledged or dead`,
    );
  if (!(await deleteMessage(db, id))) throw notFound(`HL7 message ${id} not found`);
  return { status: 204, body: undefined };
}
