import { notSupported } from '@hospitium/fhir';
import { parsePrefer } from '../headers.js';
import { parseSearchQuery } from '../search/parse-query.js';
import { buildSearchset } from '../search/searchset.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/**
 * Type-level search: `GET [base]/[type]?…` and `POST [base]/[type]/_search` with a form body
 * (its parameters join those of the URL). Answers a `searchset` Bundle; unknown parameters are
 * a 400 unless `Prefer: handling=lenient`.
 */
export async function searchInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const resourceType = req.segments[0];
  const query = new URLSearchParams(req.query);
  if (req.method === 'POST') {
    if (!(req.body instanceof URLSearchParams) && req.body !== undefined) {
      throw notSupported('POST _search needs Content-Type application/x-www-form-urlencoded', 415);
    }
    if (req.body instanceof URLSearchParams) for (const [k, v] of req.body) query.append(k, v);
  }
  const lenient = parsePrefer(req.headers.prefer).handling === 'lenient';
  const { request, ignored } = parseSearchQuery(resourceType, query, { lenient });
  const result = await ctx.repository.search(request);
  return { status: 200, headers: {}, body: buildSearchset(request, result, ctx, ignored) };
}
