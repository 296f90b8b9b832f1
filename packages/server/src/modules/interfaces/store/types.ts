import type { Hl7Issue } from '@hospitium/hl7v2';

/**
 * Where a message is in its life: `received` (stored, not yet applied), `processed` (FHIR
 * changes committed, AA sent), `error` (could not be applied, AE sent; a resend retries),
 * `rejected` (unreadable or unsupported, AR sent), `dead` (failed `maxAttempts` times: a poison
 * message, answered from the store until an analyst replays it). Outbound: `sent` (handed to
 * the peer, ACK awaited), `acknowledged` (AA/CA came back), `error` (refused or unanswered,
 * retried with backoff), `dead` (given up after the channel's `maxAttempts`; replay by hand).
 */
export const messageStatuses = [
  'received',
  'processed',
  'error',
  'rejected',
  'dead',
  'acknowledged',
  'sent',
] as const;
export type MessageStatus = (typeof messageStatuses)[number];

/** One message as the store keeps it. */
export interface StoredMessage {
  id: string;
  channel: string;
  direction: 'inbound' | 'outbound';
  status: MessageStatus;
  raw: string;
  messageType?: string;
  controlId?: string;
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  version?: string;
  patientIds: string[];
  ackCode?: string;
  ack?: string;
  /** The problems reported in the ACK's ERR segments. */
  errors: Hl7Issue[];
  /** References of the resources the message created or updated (`Patient/1/_history/2`). */
  result: string[];
  attempts: number;
  resends: number;
  remoteAddress?: string;
  receivedAt: string;
  processedAt?: string;
  updatedAt: string;
}

/** What the store is searched by (`GET /hl7/messages?patient=&type=&controlId=&since=`). */
export interface MessageQuery {
  /** A patient identifier: `system|value` or just `value`. */
  patient?: string;
  /** `ADT`, `ADT^A01`. */
  type?: string;
  controlId?: string;
  status?: MessageStatus;
  /** Received (or, outbound, queued) at or after (ISO date/time). */
  since?: string;
  /** The channel: an inbound channel, or the destination of outbound messages. */
  channel?: string;
  direction?: 'inbound' | 'outbound';
  count: number;
  offset: number;
}
