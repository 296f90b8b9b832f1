import { multipleMatches, type Resource } from '@hospitium/fhir';
import { criteriaQuery, findMatches } from '../conditional/match.js';
import { writeResponse } from '../response.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/**
 * Conditional create (`If-None-Exist: identifier=x|y`): no match → create (201); one match →
 * 200 with the existing resource and nothing written; several → 412. The search and the create
 * run in one transaction.
 */
export async function conditionalCreate(
  resource: Resource,
  criteria: string,
  req: FhirRequest,
  ctx: FhirContext,
): Promise<FhirResponse> {
  const query = criteriaQuery(criteria, resource.resourceType);
  return ctx.repository.withTransaction(async (repository) => {
    const matches = await findMatches(
      resource.resourceType,
      query,
      { ...ctx, repository },
      { lockForWrite: true },
    );
    if (matches.length > 1) {
      throw multipleMatches(`If-None-Exist '${criteria}' matched more than one ${resource.resourceType}`);
    }
    if (matches.length === 1) {
      const existing = matches[0];
      return writeResponse(
        existing,
        200,
        req,
        ctx,
        `${existing.resourceType}/${existing.id} already matches '${criteria}'; nothing created`,
      );
    }
    const created = await repository.createResource(resource);
    return writeResponse(created, 201, req, ctx);
  });
}
