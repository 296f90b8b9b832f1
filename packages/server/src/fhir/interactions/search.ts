import { notSupported } from '@hospitium/fhir';
import { parsePrefer } from '../headers.js';
import { parseSearchQuery } from '../search/parse-query.js';
import { runSearch } from '../search/run-search.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/**
 * Type-level search: `GET [base]/[type]?…` and `POST [base]/[type]/_search` with a form body
 * (its parameters join those of the URL). Answers a `searchset` Bundle; unknown parameters are
 * a 400 unless `Prefer: handling=lenient`.
 */
export async function searchInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const resourceType = req.segments[0];
  const query = searchParameters(req);
  const lenient = parsePrefer(req.headers.prefer).handling === 'lenient';
  const parsed = parseSearchQuery(resourceType, query, { lenient });
  return { status: 200, headers: {}, body: await runSearch(parsed, ctx) };
}

/**
 * The search parameters of a request: the URL query, plus for POST the form body (415 for any
 * other body). Shared by type-level and compartment search.
 */
export function searchParameters(req: FhirRequest): URLSearchParams {
  const query = new URLSearchParams(req.query);
  if (req.method === 'POST') {
    if (!(req.body instanceof URLSearchParams) && req.body !== undefined) {
      throw notSupported('POST _search needs Content-Type application/x-www-form-urlencoded', 415);
    }
    if (req.body instanceof URLSearchParams) for (const [k, v] of req.body) query.append(k, v);
  }
  return query;
}
