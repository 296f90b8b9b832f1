import type { Bundle } from '@hospitium/fhir';
import type { FhirContext } from '../types.js';
import type { ParsedSearch } from './parse-query.js';
import { buildSearchset } from './searchset.js';

/**
 * Runs a parsed search and answers its searchset: one query for the page, then (when asked)
 * one query per `_include` / `_revinclude` level for the whole page — never one per resource.
 * `path` is where the search lives under the base when it is not `[type]` (compartments).
 */
export async function runSearch(parsed: ParsedSearch, ctx: FhirContext, path?: string): Promise<Bundle> {
  const { request, ignored, result } = parsed;
  const page = await ctx.repository.search(request);
  let included: Awaited<ReturnType<FhirContext['repository']['includeResources']>> | undefined;
  if ((result.include.length > 0 || result.revinclude.length > 0) && page.resources.length > 0) {
    included = await ctx.repository.includeResources(
      page.resources.map((r) => ({ resourceType: r.resourceType, id: r.id ?? '' })),
      { include: result.include, revinclude: result.revinclude },
    );
  }
  return buildSearchset(request, page, ctx, ignored, {
    included: included?.resources,
    includesTruncated: included?.truncated,
    result,
    path,
  });
}
