import type { Resource } from '@hospitium/fhir';
import { resourceBody } from '../request-body.js';
import { writeResponse } from '../response.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import { conditionalCreate } from './conditional-create.js';

/**
 * `POST [base]/[type]` — create with a server-assigned id (201, `Location`, `ETag`).
 * An id in the body is ignored, as the specification requires. With `If-None-Exist` it is a
 * conditional create.
 */
export async function createInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const resourceType = req.segments[0];
  const resource = withoutId(resourceBody(req, resourceType));
  const criteria = req.headers['if-none-exist'];
  if (criteria) return conditionalCreate(resource, criteria, req, ctx);
  const created = await ctx.repository.createResource(resource);
  return writeResponse(created, 201, req, ctx);
}

/** The resource without `id` (the server assigns it). */
export function withoutId(resource: Resource): Resource {
  if (resource.id === undefined) return resource;
  const { id: _ignored, ...rest } = resource;
  return rest as Resource;
}
