import { badRequest, dateRange, notFound, type Resource } from '@hospitium/fhir';
import type { StoreContext } from './context.js';
import { inStatement } from './context.js';
import { assertId, assertResourceType } from './resource-meta.js';
import type { HistoryEntry, HistoryRequest } from './types.js';

export const DEFAULT_HISTORY_COUNT = 100;
export const MAX_HISTORY_COUNT = 1000;

interface HistoryRow {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: string;
  method: HistoryEntry['method'];
  deleted: boolean;
  content_text: string | null;
  total: number;
}

function toEntry(row: HistoryRow): HistoryEntry {
  const entry: HistoryEntry = {
    resourceType: row.resource_type,
    id: row.id,
    versionId: String(row.version_id),
    lastUpdated: row.last_updated,
    deleted: row.deleted,
    method: row.method,
  };
  if (!row.deleted && row.content_text !== null) entry.resource = JSON.parse(row.content_text) as Resource;
  return entry;
}

function wholeNumber(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0)
    throw badRequest(`${name} must be a whole number ≥ 0, not ${value}`);
  return value;
}

/**
 * History of one resource, one type, or the whole system, newest first, one query per page
 * (the total rides along as a window count). Instance history of an unknown resource → 404.
 */
export async function history(
  ctx: StoreContext,
  request: HistoryRequest,
): Promise<{ entries: HistoryEntry[]; total: number }> {
  if (request.id !== undefined && request.resourceType === undefined) {
    throw badRequest('Instance history needs a resource type');
  }
  if (request.resourceType !== undefined) assertResourceType(request.resourceType);
  if (request.id !== undefined) assertId(request.id);
  const count = Math.min(wholeNumber(request.count, '_count', DEFAULT_HISTORY_COUNT), MAX_HISTORY_COUNT);
  const offset = wholeNumber(request.offset, '_offset', 0);

  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (request.resourceType !== undefined) add((p) => `resource_type = ${p}`, request.resourceType);
  if (request.id !== undefined) add((p) => `id = ${p}`, request.id);
  if (request.since !== undefined) {
    const range = dateRange(request.since);
    if (!range)
      throw badRequest(`_since must be an instant such as 2024-01-02T03:04:05Z, not '${request.since}'`);
    add((p) => `last_updated > ${p}::timestamptz`, range.start);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const columns = 'resource_type, id, version_id, last_updated, method, deleted, content_text';

  return inStatement(ctx, async (q) => {
    const page = await q.query<HistoryRow>(
      `SELECT ${columns}, count(*) OVER () AS total FROM resource_history ${where} ` +
        `ORDER BY last_updated DESC, resource_type, id, version_id DESC LIMIT ${count} OFFSET ${offset}`,
      params,
    );
    let total = page.rows[0]?.total;
    if (total === undefined) {
      // An empty page (or _count=0) still owes the caller the total.
      const counted = await q.query<{ total: number }>(
        `SELECT count(*) AS total FROM resource_history ${where}`,
        params,
      );
      total = counted.rows[0]?.total ?? 0;
    }
    if (total === 0 && request.id !== undefined) {
      const known = await q.query('SELECT 1 FROM resources WHERE resource_type = $1 AND id = $2', [
        request.resourceType,
        request.id,
      ]);
      if (known.rows.length === 0) throw notFound(`${request.resourceType}/${request.id} not found`);
    }
    return { entries: page.rows.map(toEntry), total };
  });
}
