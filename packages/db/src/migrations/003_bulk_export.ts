import type { Migration } from './migration.js';

/**
 * Bulk Data `$export` jobs and their output, in the database so that any server process can
 * answer a status poll or serve a file, and a restarted process resumes unfinished jobs.
 * A worker claims a job with `FOR UPDATE SKIP LOCKED` and holds it by refreshing `heartbeat_at`;
 * a job whose heartbeat is older than the lease is free to claim again. `cursor` is the resume
 * point (resource type, last rid, current file), written in the same transaction as each output
 * chunk. Output files are stored as ordered chunks of NDJSON text (appending to one big text
 * value would rewrite it on every page). Deleting a job deletes its output.
 * The `(resource_type, rid)` index serves the export's keyset pagination over `resources`.
 */
export const bulkExport: Migration = {
  version: 3,
  name: 'bulk_export',
  sql: `
CREATE TABLE bulk_export_jobs (
  id text COLLATE "C" PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed')),
  request_url text NOT NULL,
  request jsonb NOT NULL,
  cursor jsonb NOT NULL DEFAULT '{}',
  progress text,
  error jsonb,
  transaction_time timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  claimed_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  heartbeat_at timestamptz,
  completed_at timestamptz,
  expires_at timestamptz NOT NULL
);
CREATE INDEX bulk_export_jobs_state_idx ON bulk_export_jobs (state, created_at);
CREATE INDEX bulk_export_jobs_expires_idx ON bulk_export_jobs (expires_at);

CREATE TABLE bulk_export_output (
  job_id text COLLATE "C" NOT NULL REFERENCES bulk_export_jobs (id) ON DELETE CASCADE,
  file_no integer NOT NULL,
  chunk_no integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('output', 'error')),
  resource_type text COLLATE "C" NOT NULL,
  resource_count integer NOT NULL,
  content text NOT NULL,
  PRIMARY KEY (job_id, file_no, chunk_no)
);

CREATE INDEX resources_type_rid_idx ON resources (resource_type, rid);
`,
};
