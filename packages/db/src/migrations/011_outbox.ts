import type { Migration } from './migration.js';

/**
 * The outbox: events written in the same transaction as the FHIR change that causes them (an
 * encounter admitted, a report made final), one row per event and outbound destination, and
 * delivered after COMMIT by the outbound worker, in order per patient and destination (`id`
 * order). `message_id` names the rendered message in `hl7_message` once the first attempt made
 * it. The message store learns the outbound status `sent` (handed to the peer, ACK awaited).
 */
export const outbox: Migration = {
  version: 11,
  name: 'outbox',
  sql: `
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  destination text NOT NULL,
  event text NOT NULL,
  patient text NOT NULL,
  focus text NOT NULL,
  focus_version integer NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  leased_until timestamptz,
  message_id uuid,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending ON outbox (destination, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_patient_pending ON outbox (destination, patient, id) WHERE status = 'pending';
CREATE INDEX outbox_message ON outbox (message_id);
ALTER TABLE hl7_message DROP CONSTRAINT hl7_message_status_check;
ALTER TABLE hl7_message ADD CONSTRAINT hl7_message_status_check
  CHECK (status IN ('received', 'processed', 'error', 'rejected', 'dead', 'acknowledged', 'sent'));
CREATE INDEX hl7_message_channel ON hl7_message (channel, received_at DESC);
`,
};
