import { type OperationOutcome, operationOutcome, type Resource } from '@hospitium/fhir';
import { formatETag, httpDate, parsePrefer } from './headers.js';
import type { FhirContext, FhirRequest, FhirResponse } from './types.js';

/** `[base]/Type/id/_history/vid`, the `Location` of a written version. */
export function versionLocation(ctx: FhirContext, resource: Resource): string {
  return `${ctx.baseUrl}/${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`;
}

/** `ETag` and `Last-Modified` for a stored resource (from its meta). */
export function versionHeaders(resource: Resource): Record<string, string> {
  const headers: Record<string, string> = {};
  if (resource.meta?.versionId) headers.etag = formatETag(resource.meta.versionId);
  if (resource.meta?.lastUpdated) headers['last-modified'] = httpDate(resource.meta.lastUpdated);
  return headers;
}

/**
 * The response to a write (create, update, patch): version headers, `Location` for 201, and the
 * body the client asked for with `Prefer: return=minimal | representation | OperationOutcome`.
 */
export function writeResponse(
  resource: Resource,
  status: 200 | 201,
  req: FhirRequest,
  ctx: FhirContext,
  message?: string,
): FhirResponse {
  const headers = versionHeaders(resource);
  if (status === 201) headers.location = versionLocation(ctx, resource);
  const prefer = parsePrefer(req.headers.prefer).return ?? 'representation';
  if (prefer === 'minimal') return { status, headers };
  if (prefer === 'OperationOutcome') {
    const text =
      message ??
      `${status === 201 ? 'Created' : 'Updated'} ${resource.resourceType}/${resource.id} version ${resource.meta?.versionId}`;
    return { status, headers, body: informational(text) };
  }
  return { status, headers, body: resource };
}

/** An OperationOutcome with one information issue (success messages). */
export function informational(text: string): OperationOutcome {
  return operationOutcome([{ severity: 'information', code: 'informational', details: { text } }]);
}
