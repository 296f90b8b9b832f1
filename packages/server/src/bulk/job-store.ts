import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '@hospitium/db';
import type { ExportCursor, ExportFile, ExportJob, ExportRequest, JobState } from './types.js';
import { emptyCursor } from './types.js';

interface JobRow {
  id: string;
  state: JobState;
  request_url: string;
  request: ExportRequest | string;
  cursor: ExportCursor | string;
  progress: string | null;
  error: unknown;
  transaction_time: Date | string | null;
  attempts: number;
  created_at: Date | string;
  completed_at: Date | string | null;
  expires_at: Date | string;
}

const jobColumns =
  'id, state, request_url, request, cursor, progress, error, transaction_time, attempts, created_at, completed_at, expires_at';

const iso = (value: Date | string): string => new Date(value).toISOString();

/** jsonb comes back parsed from both engines; a string is parsed defensively. */
function json<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

function toJob(row: JobRow): ExportJob {
  return {
    id: row.id,
    state: row.state,
    requestUrl: row.request_url,
    request: json(row.request),
    cursor: { ...emptyCursor, ...json(row.cursor) },
    ...(row.progress === null ? {} : { progress: row.progress }),
    ...(row.error === null || row.error === undefined ? {} : { error: json(row.error) }),
    ...(row.transaction_time === null ? {} : { transactionTime: iso(row.transaction_time) }),
    attempts: row.attempts,
    createdAt: iso(row.created_at),
    ...(row.completed_at === null ? {} : { completedAt: iso(row.completed_at) }),
    expiresAt: iso(row.expires_at),
  };
}

/** One chunk of NDJSON to append to a job's output, with the cursor to commit with it. */
export interface OutputChunk {
  fileNo: number;
  chunkNo: number;
  kind: 'output' | 'error';
  resourceType: string;
  count: number;
  content: string;
}

/**
 * The `bulk_export_jobs` / `bulk_export_output` tables (migration 003). Every method is one
 * statement or one short transaction; claiming uses `FOR UPDATE SKIP LOCKED` so several
 * server processes can share the queue. Writes by a worker name its claim token: a worker that
 * lost its job (cancelled, or taken over after its lease ran out) finds nothing to update.
 */
export class ExportJobStore {
  constructor(private readonly db: Database) {}

  /** Queues a job; returns its id. */
  async create(requestUrl: string, request: ExportRequest, retentionMs: number): Promise<string> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO bulk_export_jobs (id, state, request_url, request, expires_at)
       VALUES ($1, 'queued', $2, $3::jsonb, now() + make_interval(secs => $4::double precision))`,
      [id, requestUrl, JSON.stringify(request), retentionMs / 1000],
    );
    return id;
  }

  /** The job, or undefined when unknown, cancelled or expired. */
  async get(id: string): Promise<ExportJob | undefined> {
    const result = await this.db.query<JobRow>(
      `SELECT ${jobColumns} FROM bulk_export_jobs WHERE id = $1 AND expires_at > now()`,
      [id],
    );
    return result.rows[0] ? toJob(result.rows[0]) : undefined;
  }

  /** Cancels a job: deletes it and its output (a worker on it stops at its next page). True if it existed. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM bulk_export_jobs WHERE id = $1 AND expires_at > now()', [
      id,
    ]);
    return result.rowCount > 0;
  }

  /**
   * Claims the oldest job that is queued, or running with a heartbeat older than `leaseMs`
   * (its worker died), and marks it running under `token`. `reclaimAll` also takes running jobs
   * with a fresh heartbeat: right for embedded PGlite, which only one process can open, so a
   * running job there belongs to a process that is gone.
   */
  async claim(token: string, leaseMs: number, reclaimAll = false): Promise<ExportJob | undefined> {
    return this.db.transaction(async (tx) => {
      const found = await tx.query<{ id: string }>(
        `SELECT id FROM bulk_export_jobs
          WHERE expires_at > now()
            AND (state = 'queued'
                 OR (state = 'running' AND ($2::boolean
                     OR heartbeat_at < now() - make_interval(secs => $1::double precision))))
          ORDER BY created_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        [leaseMs / 1000, reclaimAll],
      );
      const id = found.rows[0]?.id;
      if (id === undefined) return undefined;
      const claimed = await tx.query<JobRow>(
        `UPDATE bulk_export_jobs
            SET state = 'running', claimed_by = $2, attempts = attempts + 1, heartbeat_at = now(),
                started_at = coalesce(started_at, now())
          WHERE id = $1
          RETURNING ${jobColumns}`,
        [id, token],
      );
      return toJob(claimed.rows[0]);
    });
  }

  /** Sets the transaction time once (the first run of a job); returns the one in force. */
  async fixTransactionTime(id: string, token: string, instant: string): Promise<string | undefined> {
    const result = await this.db.query<{ transaction_time: Date | string }>(
      `UPDATE bulk_export_jobs SET transaction_time = coalesce(transaction_time, $3::timestamptz)
        WHERE id = $1 AND claimed_by = $2 AND state = 'running'
        RETURNING transaction_time`,
      [id, token, instant],
    );
    const row = result.rows[0];
    return row ? iso(row.transaction_time) : undefined;
  }

  /**
   * Commits one step: appends the chunk (if any) and moves the cursor, in one transaction that
   * first locks the job row. False when the job is no longer this worker's (cancelled, expired,
   * taken over): nothing is written and the worker must stop.
   */
  async advance(
    id: string,
    token: string,
    cursor: ExportCursor,
    progress: string,
    chunk?: OutputChunk,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await this.lockOwned(tx, id, token))) return false;
      if (chunk) {
        await tx.query(
          `INSERT INTO bulk_export_output (job_id, file_no, chunk_no, kind, resource_type, resource_count, content)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [id, chunk.fileNo, chunk.chunkNo, chunk.kind, chunk.resourceType, chunk.count, chunk.content],
        );
      }
      await tx.query(
        `UPDATE bulk_export_jobs SET cursor = $2::jsonb, progress = $3, heartbeat_at = now() WHERE id = $1`,
        [id, JSON.stringify(cursor), progress],
      );
      return true;
    });
  }

  /** Marks the job completed (its files are final). False when it is no longer this worker's. */
  async complete(id: string, token: string, progress: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE bulk_export_jobs SET state = 'completed', progress = $3, completed_at = now(), claimed_by = NULL
        WHERE id = $1 AND claimed_by = $2 AND state = 'running'`,
      [id, token, progress],
    );
    return result.rowCount > 0;
  }

  /**
   * Records a failure: back to `queued` for another attempt while attempts remain, else
   * `failed` with the OperationOutcome the status URL will serve.
   */
  async fail(id: string, token: string, outcome: unknown, maxAttempts: number): Promise<void> {
    await this.db.query(
      `UPDATE bulk_export_jobs
          SET state = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'queued' END,
              error = CASE WHEN attempts >= $4 THEN $3::jsonb ELSE NULL END,
              completed_at = CASE WHEN attempts >= $4 THEN now() ELSE NULL END,
              claimed_by = NULL
        WHERE id = $1 AND claimed_by = $2 AND state = 'running'`,
      [id, token, JSON.stringify(outcome), maxAttempts],
    );
  }

  /** Marks the job failed at once (a problem a retry cannot fix, e.g. its Group was deleted). */
  async failNow(id: string, token: string, outcome: unknown): Promise<void> {
    await this.fail(id, token, outcome, 0);
  }

  /** Releases a job this worker holds (the app is stopping): another worker may take it at once. */
  async release(id: string, token: string): Promise<void> {
    await this.db.query(
      `UPDATE bulk_export_jobs SET state = 'queued', claimed_by = NULL, attempts = greatest(attempts - 1, 0)
        WHERE id = $1 AND claimed_by = $2 AND state = 'running'`,
      [id, token],
    );
  }

  /** The files of a job, in order, with their resource counts (for the manifest). */
  async files(id: string): Promise<ExportFile[]> {
    const result = await this.db.query<{
      file_no: number;
      kind: 'output' | 'error';
      resource_type: string;
      count: string | number;
    }>(
      `SELECT file_no, kind, min(resource_type) AS resource_type, sum(resource_count) AS count
         FROM bulk_export_output WHERE job_id = $1
        GROUP BY file_no, kind ORDER BY file_no`,
      [id],
    );
    return result.rows.map((r) => ({
      fileNo: r.file_no,
      kind: r.kind,
      type: r.resource_type,
      count: Number(r.count),
    }));
  }

  /** The chunks of one file, in order, `batch` at a time (files can be larger than memory should hold). */
  async *fileChunks(id: string, fileNo: number, batch = 16): AsyncGenerator<string> {
    let after = -1;
    for (;;) {
      const result = await this.db.query<{ chunk_no: number; content: string }>(
        `SELECT chunk_no, content FROM bulk_export_output
          WHERE job_id = $1 AND file_no = $2 AND chunk_no > $3 ORDER BY chunk_no LIMIT $4`,
        [id, fileNo, after, batch],
      );
      for (const row of result.rows) yield row.content;
      if (result.rows.length < batch) return;
      after = result.rows[result.rows.length - 1].chunk_no;
    }
  }

  /** True when the job exists, is completed and has this file. */
  async hasFile(id: string, fileNo: number): Promise<boolean> {
    const result = await this.db.query(
      `SELECT 1 FROM bulk_export_output o JOIN bulk_export_jobs j ON j.id = o.job_id
        WHERE o.job_id = $1 AND o.file_no = $2 AND j.state = 'completed' AND j.expires_at > now() LIMIT 1`,
      [id, fileNo],
    );
    return result.rows.length > 0;
  }

  /** Deletes expired jobs and their output; returns how many. */
  async deleteExpired(): Promise<number> {
    const result = await this.db.query('DELETE FROM bulk_export_jobs WHERE expires_at <= now()');
    return result.rowCount;
  }

  private async lockOwned(tx: Queryable, id: string, token: string): Promise<boolean> {
    const result = await tx.query(
      `SELECT 1 FROM bulk_export_jobs
        WHERE id = $1 AND claimed_by = $2 AND state = 'running' AND expires_at > now() FOR UPDATE`,
      [id, token],
    );
    return result.rows.length > 0;
  }
}
