import { badRequest, type Resource } from '@hospitium/fhir';
import { parseIfMatch } from '../headers.js';
import { resourceBody } from '../request-body.js';
import { checkId } from '../resource-id.js';
import { writeResponse } from '../response.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/**
 * `PUT [base]/[type]/[id]` — new version (200) or update-as-create with the client's id (201).
 * The body's id must equal the URL id (missing or different → 400); `If-Match` with a stale
 * version → 412.
 */
export async function updateInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [resourceType, rawId] = req.segments;
  const id = checkId(rawId);
  const resource = resourceBody(req, resourceType);
  checkBodyId(resource, id);
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const result = await ctx.repository.updateResource(resource, { ifMatch });
  return writeResponse(result.resource, result.created ? 201 : 200, req, ctx);
}

/** 400 unless the body's id is present and equal to the id the URL names. */
export function checkBodyId(resource: Resource, id: string): void {
  if (resource.id === undefined || resource.id === '') {
    throw badRequest(
      `The resource must have an id equal to the URL id '${id}'`,
      `${resource.resourceType}.id`,
    );
  }
  if (resource.id !== id) {
    throw badRequest(
      `Resource id '${String(resource.id)}' does not match the id in the URL ('${id}')`,
      `${resource.resourceType}.id`,
    );
  }
}
