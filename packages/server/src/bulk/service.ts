import type { Database, Repository } from '@hospitium/db';
import { forbidden, notFound, operationOutcome } from '@hospitium/fhir';
import type { FhirLogger } from '../fhir/types.js';
import { ExportJobStore } from './job-store.js';
import {
  type BulkExportOptions,
  defaultBulkExportOptions,
  type ExportJob,
  type ExportRequest,
  type ExportRequester,
} from './types.js';
import { ExportWorker } from './worker.js';

/** Where the status and file URLs live under the FHIR base (outside the FHIR router). */
export const bulkStatusPath = 'bulk/export';

/** A response of the status/file endpoints; `body` is JSON, or NDJSON text streamed in chunks. */
export interface BulkResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
  ndjson?: AsyncIterable<string>;
}

/** The Bulk Data export service of one app: queue, worker, status, manifest and files. */
export interface BulkExportService {
  /** Queues an export and wakes the worker; returns the absolute status URL (Content-Location). */
  queue(requestUrl: string, request: ExportRequest): Promise<string>;
  /**
   * `GET` status URL: 202 with X-Progress while running, 200 manifest when done, 500 if failed,
   * 404 unknown, 403 when `requester` is not who started the job.
   */
  status(jobId: string, requester: ExportRequester): Promise<BulkResponse>;
  /** `DELETE` status URL: cancels (or, when done, discards) the job and its files. */
  cancel(jobId: string, requester: ExportRequester): Promise<BulkResponse>;
  /** `GET` a file of a completed job (NDJSON). */
  file(jobId: string, fileNo: number, requester: ExportRequester): Promise<BulkResponse>;
  start(): void;
  stop(): Promise<void>;
}

export interface BulkExportSetup {
  db: Database;
  repository: Repository;
  /** Public FHIR base without trailing slash. */
  baseUrl: string;
  logger: FhirLogger;
  options?: Partial<BulkExportOptions>;
}

const ndjsonContentType = 'application/fhir+ndjson';
const jsonContentType = 'application/json';

/** Builds the service; the app starts its worker when ready and stops it on close. */
export function createBulkExportService(setup: BulkExportSetup): BulkExportService {
  const options: BulkExportOptions = { ...defaultBulkExportOptions, ...setup.options };
  options.pageSize = Math.min(Math.max(1, options.pageSize), 1000);
  const store = new ExportJobStore(setup.db);
  const worker = new ExportWorker(setup.db, setup.repository, store, options, setup.logger);
  const statusUrl = (id: string): string => `${setup.baseUrl}/${bulkStatusPath}/${id}`;
  const retryAfter = String(Math.max(1, Math.round(options.pollIntervalMs / 1000)));
  const unknownJob = (id: string) =>
    notFound(`No export job '${id}': it never existed, was cancelled, or expired`).outcome;

  return {
    async queue(requestUrl, request) {
      const id = await store.create(requestUrl, request, options.retentionMs);
      worker.wake();
      return statusUrl(id);
    },

    async status(jobId, requester): Promise<BulkResponse> {
      const job = await store.get(jobId);
      if (!job) return { status: 404, headers: {}, body: unknownJob(jobId) };
      if (!sameRequester(job, requester)) return notYours(jobId);
      switch (job.state) {
        case 'queued':
        case 'running':
          return {
            status: 202,
            headers: { 'x-progress': job.progress ?? 'queued', 'retry-after': retryAfter },
          };
        case 'failed':
          return { status: 500, headers: { 'content-type': jsonContentType }, body: job.error };
        case 'completed':
          return {
            status: 200,
            headers: {
              'content-type': jsonContentType,
              expires: new Date(job.expiresAt).toUTCString(),
            },
            body: await manifest(job),
          };
      }
    },

    async cancel(jobId, requester): Promise<BulkResponse> {
      const job = await store.get(jobId);
      if (job && !sameRequester(job, requester)) return notYours(jobId);
      if (!job || !(await store.delete(jobId))) return { status: 404, headers: {}, body: unknownJob(jobId) };
      return {
        status: 202,
        headers: {},
        body: operationOutcome([
          {
            severity: 'information',
            code: 'informational',
            details: { text: `Export job ${jobId} cancelled; its files are deleted` },
          },
        ]),
      };
    },

    async file(jobId, fileNo, requester): Promise<BulkResponse> {
      const job = await store.get(jobId);
      if (job && !sameRequester(job, requester)) return notYours(jobId);
      if (!Number.isInteger(fileNo) || !(await store.hasFile(jobId, fileNo))) {
        return {
          status: 404,
          headers: {},
          body: notFound(`No file ${fileNo} in a completed export job '${jobId}'`).outcome,
        };
      }
      return {
        status: 200,
        headers: { 'content-type': ndjsonContentType },
        ndjson: store.fileChunks(jobId, fileNo),
      };
    },

    start: () => worker.start(),
    stop: () => worker.stop(),
  };

  /** The completion manifest (Bulk Data IG v2 §3.5.3). */
  async function manifest(job: ExportJob): Promise<Record<string, unknown>> {
    const files = await store.files(job.id);
    const url = (fileNo: number) => `${statusUrl(job.id)}/files/${fileNo}`;
    return {
      transactionTime: job.transactionTime ?? job.createdAt,
      request: job.requestUrl,
      requiresAccessToken: true,
      output: files
        .filter((f) => f.kind === 'output')
        .map((f) => ({ type: f.type, url: url(f.fileNo), count: f.count })),
      error: files
        .filter((f) => f.kind === 'error')
        .map((f) => ({ type: 'OperationOutcome', url: url(f.fileNo), count: f.count })),
    };
  }
}

/** True when the job was started by the same client and subject (a job without an owner is nobody's). */
function sameRequester(job: ExportJob, requester: ExportRequester): boolean {
  const owner = job.request.requestedBy;
  if (!owner) return false;
  return owner.clientId === requester.clientId && owner.subject === requester.subject;
}

function notYours(jobId: string): BulkResponse {
  const text = `Export job '${jobId}' was started by another client; only its access token can use it`;
  return { status: 403, headers: {}, body: forbidden(text).outcome };
}
