import { formatETag, parseIfMatch, parsePrefer } from '../headers.js';
import { checkId } from '../resource-id.js';
import { informational } from '../response.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/**
 * `DELETE [base]/[type]/[id]` — records a deletion version (later reads → 410). Answers 204,
 * or 200 with an OperationOutcome under `Prefer: return=OperationOutcome`. Deleting what does
 * not exist also succeeds, as R4 allows. `If-Match` with a stale version → 412.
 */
export async function deleteInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [resourceType, rawId] = req.segments;
  const id = checkId(rawId);
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const result = await ctx.repository.deleteResource(resourceType, id, { ifMatch });
  const text =
    result.versionId === undefined
      ? `${resourceType}/${id} did not exist or was already deleted`
      : `Deleted ${resourceType}/${id} (version ${result.versionId})`;
  return deletedResponse(req, result.versionId, text);
}

/** 204, or 200 with an OperationOutcome when the client prefers one. */
export function deletedResponse(req: FhirRequest, versionId: string | undefined, text: string): FhirResponse {
  const headers: Record<string, string> = versionId === undefined ? {} : { etag: formatETag(versionId) };
  if (parsePrefer(req.headers.prefer).return === 'OperationOutcome') {
    return { status: 200, headers, body: informational(text) };
  }
  return { status: 204, headers };
}
