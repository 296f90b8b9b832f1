import type { Database, Repository, SearchFilter } from '@hospitium/db';
import { operationOutcome } from '@hospitium/fhir';
import { parseSearchQuery } from '../fhir/search/parse-query.js';
import { readPage } from './export-page.js';
import type { ExportJobStore, OutputChunk } from './job-store.js';
import { exportTypes, patientScope } from './scope.js';
import type { BulkExportOptions, ExportCursor, ExportJob } from './types.js';

/** How often a run over empty resource types still commits its cursor (heartbeat and cancel check). */
const EMPTY_TYPE_COMMIT_MS = 1000;

/** Ids per `_typeFilter` search (see applyTypeFilters). */
const TYPE_FILTER_SLICE = 100;

/** What running a job needs; `stopping` turns true when the app closes. */
export interface JobRunContext {
  db: Database;
  repository: Repository;
  store: ExportJobStore;
  options: BulkExportOptions;
  /** This worker's claim token. */
  token: string;
  stopping: () => boolean;
}

/** How a run ended: done, cancelled/lost (someone else owns the job now), or paused by shutdown. */
export type RunOutcome = 'completed' | 'lost' | 'paused';

/**
 * Runs (or resumes) one claimed job: fixes its transaction time, resolves the patients in
 * scope, then walks its resource types page by page from the stored cursor, appending NDJSON
 * chunks. Each page and its new cursor commit together, so a restart resumes after the last
 * committed page without duplicates. Checks for cancel (the job row gone) and shutdown between
 * pages. Errors propagate to the worker, which records the attempt.
 */
export async function runJob(job: ExportJob, ctx: JobRunContext): Promise<RunOutcome> {
  const { store, token, options } = ctx;
  const until = await store.fixTransactionTime(job.id, token, new Date().toISOString());
  if (until === undefined) return 'lost';
  const scope = await patientScope(ctx.repository, job.request);
  const types = exportTypes(job.request);
  const cursor: ExportCursor = { ...job.cursor };

  if (!cursor.errorsWritten) {
    const chunk = await missingPatientErrors(ctx.repository, job, cursor, options);
    cursor.errorsWritten = true;
    if (!(await store.advance(job.id, token, cursor, progressText(cursor, types), chunk))) return 'lost';
  }

  let lastCommit = Date.now();
  while (cursor.typeIndex < types.length) {
    if (ctx.stopping()) return 'paused';
    const resourceType = types[cursor.typeIndex];
    const rows = await readPage(
      ctx.db,
      { resourceType, afterRid: cursor.afterRid, since: job.request.since, until, patients: scope },
      options.pageSize,
    );
    let chunk: OutputChunk | undefined;
    if (rows.length === 0) {
      cursor.typeIndex++;
      cursor.afterRid = '0';
      // Most types are empty: persist (heartbeat, cancel check) for them only now and then;
      // after a restart the few empty types since the last commit are just read again.
      if (Date.now() - lastCommit < EMPTY_TYPE_COMMIT_MS) continue;
    } else {
      cursor.afterRid = rows[rows.length - 1].rid;
      const kept = await applyTypeFilters(
        ctx.repository,
        resourceType,
        job.request.typeFilters[resourceType],
        rows,
      );
      if (kept.length > 0) chunk = nextChunk(cursor, options, 'output', resourceType, kept);
    }
    if (!(await store.advance(job.id, token, cursor, progressText(cursor, types), chunk))) return 'lost';
    lastCommit = Date.now();
  }
  return (await store.complete(job.id, token, progressText(cursor, types))) ? 'completed' : 'lost';
}

/** Places a chunk in the current file, or starts a new file (new type, or the file is full). */
function nextChunk(
  cursor: ExportCursor,
  options: BulkExportOptions,
  kind: OutputChunk['kind'],
  resourceType: string,
  lines: readonly string[],
): OutputChunk {
  const content = `${lines.join('\n')}\n`;
  const bytes = Buffer.byteLength(content);
  const full = cursor.fileResources >= options.maxFileResources || cursor.fileBytes >= options.maxFileBytes;
  if (cursor.fileNo === 0 || cursor.fileType !== resourceType || cursor.fileKind !== kind || full) {
    cursor.fileNo++;
    cursor.chunkNo = 0;
    cursor.fileResources = 0;
    cursor.fileBytes = 0;
    cursor.fileType = resourceType;
    cursor.fileKind = kind;
  }
  cursor.chunkNo++;
  cursor.fileResources += lines.length;
  cursor.fileBytes += bytes;
  if (kind === 'output') cursor.exported += lines.length;
  return { fileNo: cursor.fileNo, chunkNo: cursor.chunkNo, kind, resourceType, count: lines.length, content };
}

/**
 * Keeps the rows matching at least one `_typeFilter` query of their type (none = keep all):
 * each query runs through the repository's search restricted to the page's ids, so filters
 * mean exactly what they mean in a search.
 */
async function applyTypeFilters(
  repository: Repository,
  resourceType: string,
  queries: readonly string[] | undefined,
  rows: readonly { id: string; text: string }[],
): Promise<string[]> {
  if (!queries || queries.length === 0) return rows.map((r) => r.text);
  const matched = new Set<string>();
  for (const query of queries) {
    const { request } = parseSearchQuery(resourceType, new URLSearchParams(query));
    if (request.filters.length === 0) return rows.map((r) => r.text);
    // `_id` becomes one OR term per id: PostgreSQL plans a few hundred terms as index probes,
    // a thousand as a scan, so the page is searched in slices.
    for (let i = 0; i < rows.length; i += TYPE_FILTER_SLICE) {
      const ids = rows.slice(i, i + TYPE_FILTER_SLICE).map((r) => r.id);
      const idFilter: SearchFilter = { code: '_id', values: ids };
      const result = await repository.search({
        resourceType,
        filters: [...request.filters, idFilter],
        count: ids.length,
        total: 'none',
      });
      for (const resource of result.resources) if (resource.id) matched.add(resource.id);
    }
  }
  return rows.filter((r) => matched.has(r.id)).map((r) => r.text);
}

/** An error file (OperationOutcome per line) for `patient` values that name no Patient. */
async function missingPatientErrors(
  repository: Repository,
  job: ExportJob,
  cursor: ExportCursor,
  options: BulkExportOptions,
): Promise<OutputChunk | undefined> {
  const asked = job.request.patients ?? [];
  if (asked.length === 0) return undefined;
  const found = new Set<string>();
  for (let i = 0; i < asked.length; i += 500) {
    const ids = asked.slice(i, i + 500);
    const result = await repository.search({
      resourceType: 'Patient',
      filters: [{ code: '_id', values: ids }],
      count: ids.length,
      total: 'none',
    });
    for (const p of result.resources) if (p.id) found.add(p.id);
  }
  const lines = asked
    .filter((id) => !found.has(id))
    .map((id) =>
      JSON.stringify(
        operationOutcome([
          {
            severity: 'error',
            code: 'not-found',
            details: { text: `patient: Patient/${id} does not exist; nothing exported for it` },
          },
        ]),
      ),
    );
  if (lines.length === 0) return undefined;
  return nextChunk(cursor, options, 'error', 'OperationOutcome', lines);
}

function progressText(cursor: ExportCursor, types: readonly string[]): string {
  const done = Math.min(cursor.typeIndex, types.length);
  const current = types[cursor.typeIndex];
  return `${cursor.exported} resources exported; ${done}/${types.length} resource types done${
    current ? ` (now ${current})` : ''
  }`;
}
