import { randomUUID } from 'node:crypto';
import type { SearchRequest, SearchResult } from '@hospitium/db';
import { type Bundle, type BundleEntry, operationOutcome } from '@hospitium/fhir';
import type { FhirContext } from '../types.js';
import { defaultPageSize, type IgnoredParam, searchQueryString } from './parse-query.js';

/**
 * A `searchset` Bundle for one page: absolute `self`, `first`, `next` and `previous` links
 * (paging by `_offset`), `total` when known, a `fullUrl` and `search.mode = match` per entry,
 * and one `search.mode = outcome` entry listing the parameters ignored under lenient handling.
 */
export function buildSearchset(
  request: SearchRequest,
  result: SearchResult,
  ctx: FhirContext,
  ignored: IgnoredParam[] = [],
): Bundle {
  const offset = request.offset ?? 0;
  const count = request.count ?? defaultPageSize;
  const base = `${ctx.baseUrl}/${request.resourceType}`;
  const link = (relation: string, at: number) => ({
    relation,
    url: `${base}?${searchQueryString(request, at)}`,
  });

  const links = [link('self', offset)];
  if (offset > 0) links.push(link('first', 0));
  if (result.hasMore && count > 0) links.push(link('next', offset + count));
  if (offset > 0 && count > 0) links.push(link('previous', Math.max(0, offset - count)));

  const entry: BundleEntry[] = result.resources.map((resource) => ({
    fullUrl: `${ctx.baseUrl}/${resource.resourceType}/${resource.id}`,
    resource,
    search: { mode: 'match' },
  }));
  if (ignored.length > 0) {
    entry.push({
      resource: operationOutcome(
        ignored.map((p) => ({
          severity: 'warning',
          code: 'not-supported',
          details: { text: `${p.reason}; parameter ignored` },
          expression: [`http.${p.name}`],
        })),
      ),
      search: { mode: 'outcome' },
    });
  }

  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
  };
  if (result.total !== undefined) bundle.total = result.total;
  bundle.link = links;
  bundle.entry = entry;
  return bundle;
}
