import { formatETag, httpDate } from '../headers.js';
import { checkId } from '../resource-id.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/**
 * `GET [base]/[type]/[id]` — the current version, sent as the stored JSON text without
 * re-serialising it. 404 unknown, 410 deleted; `If-None-Match` with the current ETag → 304.
 */
export async function readInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [resourceType, rawId] = req.segments;
  const id = checkId(rawId);
  const { text, versionId, lastUpdated } = await ctx.repository.readResourceText(resourceType, id);
  const headers = { etag: formatETag(versionId), 'last-modified': httpDate(lastUpdated) };
  if (notModified(req.headers['if-none-match'], versionId)) return { status: 304, headers };
  return { status: 200, headers, body: text };
}

function notModified(ifNoneMatch: string | undefined, versionId: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === `"${versionId}"`;
  });
}
