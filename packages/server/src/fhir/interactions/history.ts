import { randomUUID } from 'node:crypto';
import type { HistoryEntry, HistoryRequest } from '@hospitium/db';
import { type Bundle, type BundleEntry, badRequest, notFound } from '@hospitium/fhir';
import { formatETag } from '../headers.js';
import { checkId } from '../resource-id.js';
import { defaultPageSize, maxPageSize } from '../search/parse-query.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/**
 * History at instance (`[type]/[id]/_history`), type (`[type]/_history`) and system
 * (`_history`) level: a `history` Bundle, newest first, with `request` and `response` per
 * entry (a deletion has no resource), `_since`, `_count` and `_offset` paging links.
 */
export async function historyInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const level = req.segments.length === 1 ? 'system' : req.segments.length === 2 ? 'type' : 'instance';
  const request: HistoryRequest = parseHistoryQuery(req.query);
  if (level !== 'system') request.resourceType = req.segments[0];
  if (level === 'instance') request.id = checkId(req.segments[1]);

  const { entries, total } = await ctx.repository.history(request);
  if (level === 'instance' && total === 0 && request.since === undefined) {
    throw notFound(`${request.resourceType}/${request.id} not found`);
  }

  const path = req.segments.map(encodeURIComponent).join('/');
  const count = request.count ?? defaultPageSize;
  const offset = request.offset ?? 0;
  const link = (relation: string, at: number) => {
    const params = new URLSearchParams();
    if (request.since) params.set('_since', request.since);
    params.set('_count', String(count));
    if (at > 0) params.set('_offset', String(at));
    return { relation, url: `${ctx.baseUrl}/${path}?${params}` };
  };
  const links = [link('self', offset)];
  if (count > 0 && offset + entries.length < total) links.push(link('next', offset + count));
  if (count > 0 && offset > 0) links.push(link('previous', Math.max(0, offset - count)));

  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'history',
    total,
    link: links,
    entry: entries.map((e) => historyEntry(e, ctx)),
  };
  return { status: 200, headers: {}, body: bundle };
}

function parseHistoryQuery(query: URLSearchParams): HistoryRequest {
  const request: HistoryRequest = {};
  for (const [name, value] of query) {
    switch (name) {
      case '_since':
        if (
          !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ||
          Number.isNaN(Date.parse(value))
        ) {
          throw badRequest(
            `_since must be a FHIR instant such as 2024-01-31T10:00:00Z (got '${value}')`,
            'http._since',
          );
        }
        request.since = new Date(value).toISOString();
        break;
      case '_count':
        request.count = Math.min(nonNegativeInt(name, value), maxPageSize);
        break;
      case '_offset':
        request.offset = nonNegativeInt(name, value);
        break;
      case '_format':
      case '_pretty':
        break;
      default:
        throw badRequest(
          `History parameter '${name}' is not supported (use _since, _count, _offset)`,
          `http.${name}`,
        );
    }
  }
  return request;
}

function nonNegativeInt(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) {
    throw badRequest(`${name} must be a non-negative integer (got '${value}')`, `http.${name}`);
  }
  return Number(value);
}

const statusByMethod = {
  POST: '201 Created',
  PUT: '200 OK',
  PATCH: '200 OK',
  DELETE: '204 No Content',
} as const;

function historyEntry(e: HistoryEntry, ctx: FhirContext): BundleEntry {
  const entry: BundleEntry = { fullUrl: `${ctx.baseUrl}/${e.resourceType}/${e.id}` };
  if (e.resource && !e.deleted) entry.resource = e.resource;
  entry.request = {
    method: e.method,
    url: e.method === 'POST' ? e.resourceType : `${e.resourceType}/${e.id}`,
  };
  entry.response = {
    status: e.method === 'PUT' && e.versionId === '1' ? '201 Created' : statusByMethod[e.method],
    etag: formatETag(e.versionId),
    lastModified: e.lastUpdated,
  };
  return entry;
}
