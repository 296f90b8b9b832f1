import type { SearchRequest } from '@hospitium/db';
import { badRequest, conflict, isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { parseSearchQuery } from '../search/parse-query.js';
import type { FhirContext } from '../types.js';

/**
 * Splits conditional criteria written as `identifier=x|y`, `?identifier=x|y` or
 * `Patient?identifier=x|y` (If-None-Exist, conditional references, bundle entry URLs).
 * A type before the `?` must equal `resourceType` when that is given.
 */
export function criteriaQuery(criteria: string, resourceType?: string): URLSearchParams {
  const q = criteria.indexOf('?');
  if (q > 0 && resourceType !== undefined) {
    const type = criteria.slice(0, q).replace(/^.*\//, '');
    if (type !== resourceType) {
      throw badRequest(`Conditional criteria '${criteria}' name ${type}, not ${resourceType}`);
    }
  }
  return new URLSearchParams(q >= 0 ? criteria.slice(q + 1) : criteria);
}

/**
 * The search of conditional criteria: at most two matches (enough to tell none, one and several
 * apart), expected to be few. Criteria must contain at least one search filter: a condition that
 * matches everything is refused (400) rather than applied to the whole table.
 */
export function matchRequest(resourceType: string, query: URLSearchParams): SearchRequest {
  const { request } = parseSearchQuery(resourceType, query);
  if (request.filters.length === 0) {
    throw badRequest(`Conditional operation on ${resourceType} needs at least one search parameter`);
  }
  return { ...request, count: 2, offset: 0, total: 'none', sort: [], fewMatches: true };
}

/** The resources matching conditional criteria, at most two (see matchRequest). */
export async function findMatches(
  resourceType: string,
  query: URLSearchParams,
  ctx: FhirContext,
  options: { lockForWrite?: boolean } = {},
): Promise<Resource[]> {
  const request = matchRequest(resourceType, query);
  // Two writers with the same criteria must not both see "no match" and both create.
  if (options.lockForWrite) await ctx.repository.lockConditional(conditionalKey(resourceType, query));
  const result = await ctx.repository.search(request);
  return result.resources;
}

/**
 * findMatches for several conditional writes at once (a transaction's every `ifNoneExist` and
 * `PUT [type]?criteria`), in as few statements as it takes. All are searched together first; a
 * target that exists needs no lock (a conditional update of it is ordered by its row lock, an
 * `ifNoneExist` creates nothing). Only targets that matched nothing are locked (one statement,
 * keys sorted so two bundles cannot deadlock) and searched again: a writer that created one
 * meanwhile has committed by the time the lock is ours. So the reference data every message
 * names (a ward, the attending) is never a point where all writers queue.
 */
export async function findMatchesForWrites(
  targets: readonly { resourceType: string; query: URLSearchParams; request: SearchRequest }[],
  ctx: FhirContext,
): Promise<Resource[][]> {
  if (targets.length === 0) return [];
  const found = await ctx.repository.searchFew(targets.map((t) => t.request));
  const missing = targets.flatMap((_, i) => (found[i]?.length ? [] : [i]));
  if (missing.length === 0) return found;
  const keys = missing.map((i) => conditionalKey(targets[i].resourceType, targets[i].query));
  await ctx.repository.lockConditionals([...new Set(keys)].sort());
  const again = await ctx.repository.searchFew(missing.map((i) => targets[i].request));
  missing.forEach((i, j) => {
    found[i] = again[j] ?? [];
  });
  return found;
}

/** The same criteria in any parameter order give the same lock key. */
export function conditionalKey(resourceType: string, query: URLSearchParams): string {
  const pairs = [...query].map(([k, v]) => `${k}=${v}`).sort();
  return `${resourceType}?${pairs.join('&')}`;
}

/**
 * Conditional update with no match and a client id creates the resource with that id, but
 * must not overwrite a live resource the criteria did not select (409).
 */
export async function assertNotLive(resourceType: string, id: string, ctx: FhirContext): Promise<void> {
  try {
    await ctx.repository.readResourceText(resourceType, id);
  } catch (err) {
    if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) return;
    throw err;
  }
  throw conflict(`${resourceType}/${id} exists but does not match the conditional update criteria`);
}
