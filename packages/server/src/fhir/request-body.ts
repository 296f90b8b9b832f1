import { badRequest, isResource, type Resource } from '@hospitium/fhir';
import type { FhirRequest } from './types.js';

/**
 * The request body as a resource of the URL's type: 400 when the body is missing, not a JSON
 * object, has no `resourceType`, or names another type than the URL (expression `resourceType`).
 */
export function resourceBody(req: FhirRequest, expectedType: string): Resource {
  const body = req.body;
  if (body === undefined || body === null) {
    throw badRequest(`The request body must be a ${expectedType} resource (application/fhir+json)`);
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`The request body must be a JSON object (a ${expectedType} resource)`);
  }
  if (!isResource(body)) {
    throw badRequest('The resource has no resourceType', 'resourceType');
  }
  if (body.resourceType !== expectedType) {
    throw badRequest(
      `resourceType '${body.resourceType}' does not match the resource type in the URL ('${expectedType}')`,
      'resourceType',
    );
  }
  return body;
}
