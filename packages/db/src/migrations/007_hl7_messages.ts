import type { Migration } from './migration.js';

/**
 * The HL7 v2 message store: every message the interface engine receives (and, later, sends),
 * raw text kept, with what analysts search by (type, control id, sender, patient identifiers,
 * time) and what happened to it (status, ACK, error). `dedup_key` (direction, sender, MSH-10)
 * makes a resent message apply once; unreadable messages have no key and never collide.
 */
export const hl7Messages: Migration = {
  version: 7,
  name: 'hl7_messages',
  sql: `
CREATE TABLE hl7_message (
  id uuid PRIMARY KEY,
  channel text NOT NULL,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  status text NOT NULL CHECK (status IN ('received', 'processed', 'error', 'rejected', 'dead', 'acknowledged')),
  raw text NOT NULL,
  message_type text,
  control_id text,
  sending_application text,
  sending_facility text,
  receiving_application text,
  receiving_facility text,
  version text,
  patient_ids text[] NOT NULL DEFAULT '{}',
  dedup_key text UNIQUE,
  ack_code text,
  ack text,
  error jsonb,
  result jsonb,
  attempts integer NOT NULL DEFAULT 1,
  resends integer NOT NULL DEFAULT 0,
  remote_address text,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX hl7_message_received_at ON hl7_message (received_at DESC, id);
CREATE INDEX hl7_message_type ON hl7_message (message_type, received_at DESC);
CREATE INDEX hl7_message_control_id ON hl7_message (control_id);
CREATE INDEX hl7_message_patient_ids ON hl7_message USING gin (patient_ids);
CREATE INDEX hl7_message_status ON hl7_message (status, received_at DESC);
`,
};
