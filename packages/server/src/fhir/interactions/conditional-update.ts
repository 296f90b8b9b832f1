import { badRequest, multipleMatches } from '@hospitium/fhir';
import { assertNotLive, findMatches } from '../conditional/match.js';
import { parseIfMatch } from '../headers.js';
import { resourceBody } from '../request-body.js';
import { checkId } from '../resource-id.js';
import { writeResponse } from '../response.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/**
 * `PUT [base]/[type]?criteria` — no match → create (201; the body's id is used when given,
 * else the server assigns one; a live resource with that id → 409); one match → update it
 * (200; a body id, if any, must be that resource's); several → 412. Search and write run in
 * one transaction.
 */
export async function conditionalUpdateInteraction(
  req: FhirRequest,
  ctx: FhirContext,
): Promise<FhirResponse> {
  const resourceType = req.segments[0];
  const resource = resourceBody(req, resourceType);
  const ifMatch = parseIfMatch(req.headers['if-match']);
  return ctx.repository.withTransaction(async (repository) => {
    const matches = await findMatches(
      resourceType,
      req.query,
      { ...ctx, repository },
      { lockForWrite: true },
    );
    if (matches.length > 1) {
      throw multipleMatches(`Conditional update criteria matched more than one ${resourceType}`);
    }
    if (matches.length === 0) {
      if (resource.id === undefined) {
        const created = await repository.createResource(resource);
        return writeResponse(created, 201, req, ctx);
      }
      const id = checkId(String(resource.id));
      await assertNotLive(resourceType, id, { ...ctx, repository });
      const result = await repository.updateResource(resource, { ifMatch });
      return writeResponse(result.resource, result.created ? 201 : 200, req, ctx);
    }
    const match = matches[0];
    if (resource.id !== undefined && resource.id !== match.id) {
      throw badRequest(
        `Resource id '${String(resource.id)}' differs from the matching resource ${resourceType}/${match.id}`,
        `${resourceType}.id`,
      );
    }
    const result = await repository.updateResource({ ...resource, id: match.id }, { ifMatch });
    return writeResponse(result.resource, 200, req, ctx);
  });
}
