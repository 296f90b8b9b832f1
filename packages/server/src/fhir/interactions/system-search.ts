import { type Bundle, badRequest, isResourceType, resourceTypeNames } from '@hospitium/fhir';
import { parsePrefer } from '../headers.js';
import { parseSearchQuery } from '../search/parse-query.js';
import { runSearch } from '../search/run-search.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import { searchParameters } from './search.js';

/**
 * System-wide search: `GET [base]?_type=Patient,Observation&…` (and `GET [base]?_id=…`, every
 * type). One SQL query over the named types, ordered by id then type; only parameters that every
 * named type defines are allowed (400 naming the types that lack one). Without `_type` the search
 * spans every resource type, which only parameters of all resources (`_id`, `_lastUpdated`,
 * `_tag`, `_profile`, `_security`, `_source`) can constrain.
 */
export async function systemSearchInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const query = searchParameters(req);
  const typeParam = query.getAll('_type').join(',');
  query.delete('_type');
  const named = typeParam
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  for (const type of named) {
    if (!isResourceType(type)) throw badRequest(`Unknown resource type '${type}' in _type`, 'http._type');
  }
  const types = named.length > 0 ? [...new Set(named)] : resourceTypeNames();
  const lenient = parsePrefer(req.headers.prefer).handling === 'lenient';
  const parsed = parseSearchQuery(types[0], query, { lenient });
  parsed.request.resourceTypes = types;
  const bundle = await runSearch(parsed, ctx, '');
  return { status: 200, headers: {}, body: systemLinks(bundle, ctx.baseUrl, named) };
}

/** Links of a system search point at `[base]?` and carry `_type` as the client wrote it. */
function systemLinks(bundle: Bundle, baseUrl: string, types: string[]): Bundle {
  const prefix = `${baseUrl}/?`;
  const typeParam = types.length > 0 ? `_type=${types.map(encodeURIComponent).join(',')}&` : '';
  for (const link of bundle.link ?? []) {
    if (link.url.startsWith(prefix)) link.url = `${baseUrl}?${typeParam}${link.url.slice(prefix.length)}`;
  }
  return bundle;
}
