import { formatETag, httpDate } from '../headers.js';
import { checkId } from '../resource-id.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import { readSubsetting, subsetText } from './read-subsetting.js';

/**
 * `GET [base]/[type]/[id]` — the current version, sent as the stored JSON text without
 * re-serialising it (unless `_summary` / `_elements` cut it down). 404 unknown, 410 deleted; `If-None-Match` with the current ETag → 304.
 */
export async function readInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [resourceType, rawId] = req.segments;
  const id = checkId(rawId);
  const { text, versionId, lastUpdated } = await ctx.repository.readResourceText(resourceType, id);
  const headers = { etag: formatETag(versionId), 'last-modified': httpDate(lastUpdated) };
  const subsetting = readSubsetting(resourceType, req.query);
  if (notModified(req.headers['if-none-match'], versionId)) return { status: 304, headers };
  return { status: 200, headers, body: subsetting ? subsetText(text, subsetting) : text };
}

function notModified(ifNoneMatch: string | undefined, versionId: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === `"${versionId}"`;
  });
}
