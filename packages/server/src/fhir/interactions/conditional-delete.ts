import { multipleMatches } from '@hospitium/fhir';
import { findMatches } from '../conditional/match.js';
import { parseIfMatch } from '../headers.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import { deletedResponse } from './delete.js';

/**
 * `DELETE [base]/[type]?criteria` — deletes the single match (none → success with nothing
 * deleted; several → 412, this server supports single conditional delete only).
 */
export async function conditionalDeleteInteraction(
  req: FhirRequest,
  ctx: FhirContext,
): Promise<FhirResponse> {
  const resourceType = req.segments[0];
  const ifMatch = parseIfMatch(req.headers['if-match']);
  return ctx.repository.withTransaction(async (repository) => {
    const matches = await findMatches(resourceType, req.query, { ...ctx, repository });
    if (matches.length > 1) {
      throw multipleMatches(`Conditional delete criteria matched more than one ${resourceType}`);
    }
    if (matches.length === 0)
      return deletedResponse(req, undefined, `No ${resourceType} matched; nothing deleted`);
    const id = matches[0].id as string;
    const result = await repository.deleteResource(resourceType, id, { ifMatch });
    return deletedResponse(
      req,
      result.versionId,
      `Deleted ${resourceType}/${id} (version ${result.versionId})`,
    );
  });
}
