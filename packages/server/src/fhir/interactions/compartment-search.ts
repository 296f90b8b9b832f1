import { parsePrefer } from '../headers.js';
import { checkId } from '../resource-id.js';
import { compartmentFilter } from '../search/compartment.js';
import { parseSearchQuery } from '../search/parse-query.js';
import { runSearch } from '../search/run-search.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import { searchParameters } from './search.js';

/**
 * Compartment search: `GET [base]/Patient/[id]/[type]?…` (and `POST …/[type]/_search`) is the
 * search `[type]?…` restricted to resources in that patient's compartment — a resource is in it
 * through any of the parameters its CompartmentDefinition lists (Observation: `subject` or
 * `performer`). An unknown patient has an empty compartment: an empty searchset, not a 404.
 */
export async function compartmentSearchInteraction(
  req: FhirRequest,
  ctx: FhirContext,
): Promise<FhirResponse> {
  const [compartmentType, rawId, resourceType] = req.segments;
  const id = checkId(rawId);
  const compartment = compartmentFilter(compartmentType, id, resourceType);
  const lenient = parsePrefer(req.headers.prefer).handling === 'lenient';
  const parsed = parseSearchQuery(resourceType, searchParameters(req), { lenient });
  parsed.request.compartment = compartment;
  const path = `${compartmentType}/${id}/${resourceType}`;
  return { status: 200, headers: {}, body: await runSearch(parsed, ctx, path) };
}
