import { randomUUID } from 'node:crypto';
import type { SearchRequest, SearchResult } from '@hospitium/db';
import {
  type Bundle,
  type BundleEntry,
  type OperationOutcomeIssue,
  operationOutcome,
  type Resource,
} from '@hospitium/fhir';
import type { FhirContext } from '../types.js';
import { defaultPageSize, type IgnoredParam, type ResultParams, searchQueryString } from './parse-query.js';
import { subsetResource } from './summary.js';

/** What the server adds to a page beyond the repository's matches. */
export interface SearchsetExtras {
  /** `_include` / `_revinclude` results (entries with `search.mode = include`). */
  included?: Resource[];
  /** True when the include cap cut `included` short (reported in the outcome entry). */
  includesTruncated?: boolean;
  /** Includes and subsetting, applied to entries and carried by the links. */
  result?: ResultParams;
  /** Path of the search under the base when not `[type]` (compartments: `Patient/1/Observation`). */
  path?: string;
}

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
  extras: SearchsetExtras = {},
): Bundle {
  const offset = request.offset ?? 0;
  const count = request.count ?? defaultPageSize;
  const base = `${ctx.baseUrl}/${extras.path ?? request.resourceType}`;
  const link = (relation: string, at: number) => ({
    relation,
    url: `${base}?${searchQueryString(request, at, extras.result)}`,
  });
  const subsetting = extras.result?.subsetting ?? {};
  // _elements names elements of the searched type, so it shapes the matches only; _summary all.
  const includeSubsetting = { summary: subsetting.summary };

  const links = [link('self', offset)];
  if (offset > 0) links.push(link('first', 0));
  if (result.hasMore && count > 0) links.push(link('next', offset + count));
  if (offset > 0 && count > 0) links.push(link('previous', Math.max(0, offset - count)));

  const entry: BundleEntry[] = result.resources.map((resource) => ({
    fullUrl: `${ctx.baseUrl}/${resource.resourceType}/${resource.id}`,
    resource: subsetResource(resource, subsetting),
    search: { mode: 'match' },
  }));
  for (const resource of extras.included ?? []) {
    entry.push({
      fullUrl: `${ctx.baseUrl}/${resource.resourceType}/${resource.id}`,
      resource: subsetResource(resource, includeSubsetting),
      search: { mode: 'include' },
    });
  }
  const issues: OperationOutcomeIssue[] = ignored.map((p) => ({
    severity: 'warning',
    code: 'not-supported',
    details: { text: `${p.reason}; parameter ignored` },
    expression: [`http.${p.name}`],
  }));
  if (extras.includesTruncated) {
    issues.push({
      severity: 'warning',
      code: 'too-costly',
      details: { text: 'Too many included resources; the list of includes is incomplete' },
      expression: ['http._include'],
    });
  }
  if (issues.length > 0) {
    entry.push({ resource: operationOutcome(issues), search: { mode: 'outcome' } });
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
