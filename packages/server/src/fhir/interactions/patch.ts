import {
  badRequest,
  isOperationOutcomeError,
  isResource,
  multipleMatches,
  notFound,
  notSupported,
  preconditionFailed,
  type Resource,
  unprocessable,
} from '@hospitium/fhir';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { findMatches } from '../conditional/match.js';
import { parseIfMatch } from '../headers.js';
import { checkId } from '../resource-id.js';
import { writeResponse } from '../response.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';

/** Attempts when concurrent writers keep changing the resource between our read and our write. */
const maxAttempts = 10;

/**
 * `PATCH [base]/[type]/[id]` (or `[type]?criteria`, single match) with a JSON Patch
 * (`application/json-patch+json`). The patch is applied to the current version and the result
 * is written back with that version as the expected one, so a concurrent update is never lost:
 * without `If-Match` the patch is re-applied to the newer version; with a stale `If-Match` → 412.
 * Invalid operations → 400, a failed `test` → 422, changing `id` or `resourceType` → 400; the
 * result is validated by the repository like any update.
 */
export async function patchInteraction(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const resourceType = req.segments[0];
  const operations = patchOperations(req);
  const ifMatch = parseIfMatch(req.headers['if-match']);
  let id: string;
  if (req.segments.length === 1) {
    const matches = await findMatches(resourceType, req.query, ctx);
    if (matches.length === 0) throw notFound(`No ${resourceType} matches the conditional patch criteria`);
    if (matches.length > 1)
      throw multipleMatches(`Conditional patch criteria matched more than one ${resourceType}`);
    id = matches[0].id as string;
  } else {
    id = checkId(req.segments[1]);
  }

  for (let attempt = 1; ; attempt++) {
    const current = await ctx.repository.readResource(resourceType, id);
    const currentVersion = current.meta?.versionId;
    if (ifMatch !== undefined && ifMatch !== currentVersion) {
      throw preconditionFailed(
        `If-Match version ${ifMatch} is not the current version ${currentVersion} of ${resourceType}/${id}`,
      );
    }
    const patched = applyOperations(current, operations);
    try {
      const result = await ctx.repository.updateResource(patched, { ifMatch: currentVersion });
      return writeResponse(result.resource, 200, req, ctx);
    } catch (err) {
      const raced = isOperationOutcomeError(err) && err.status === 412 && ifMatch === undefined;
      if (!raced || attempt >= maxAttempts) throw err;
      // Jittered back-off so racing patchers stop colliding in lock-step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

/** The JSON Patch document of the request: an array of operations (415 for other patch formats). */
function patchOperations(req: FhirRequest): Operation[] {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType === 'application/fhir+json') {
    throw notSupported('FHIRPath Patch (Parameters) is not supported; send a JSON Patch', 415);
  }
  if (contentType !== 'application/json-patch+json' && contentType !== 'application/json') {
    throw notSupported(`PATCH needs Content-Type application/json-patch+json (got '${contentType}')`, 415);
  }
  if (!Array.isArray(req.body)) {
    throw badRequest('A JSON Patch document must be an array of operations');
  }
  return req.body as Operation[];
}

/** Applies the operations to `resource` (which it mutates) and checks the identity is unchanged. */
function applyOperations(resource: Resource, operations: Operation[]): Resource {
  const { resourceType, id } = resource;
  let result: unknown;
  try {
    result = jsonPatch.applyPatch(resource, operations, true, true, true).newDocument;
  } catch (err) {
    if (err instanceof jsonPatch.JsonPatchError) {
      const text = `JSON Patch operation ${err.index ?? 0} failed: ${err.message.split('\n')[0]}`;
      throw err.name === 'TEST_OPERATION_FAILED' ? unprocessable(text) : badRequest(text);
    }
    throw badRequest(`Invalid JSON Patch: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isResource(result)) throw badRequest('The patched document is not a resource');
  if (result.resourceType !== resourceType) {
    throw badRequest('A patch cannot change resourceType', 'resourceType');
  }
  if (result.id !== id) throw badRequest('A patch cannot change the resource id', `${resourceType}.id`);
  return result;
}
