import { checkId } from '../resource-id.js';
import { versionHeaders } from '../response.js';
import { subsetResource } from '../search/summary.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import { readSubsetting } from './read-subsetting.js';

/** `GET [base]/[type]/[id]/_history/[vid]` — one version (404 unknown, 410 for a deletion). */
export async function vreadInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [resourceType, rawId, , rawVersion] = req.segments;
  const id = checkId(rawId);
  const versionId = checkId(rawVersion, 'versionId');
  const subsetting = readSubsetting(resourceType, req.query);
  const resource = await ctx.repository.readVersion(resourceType, id, versionId);
  const body = subsetting ? subsetResource(resource, subsetting) : resource;
  return { status: 200, headers: versionHeaders(resource), body };
}
