import { STATUS_CODES } from 'node:http';
import {
  type BundleEntry,
  type BundleEntryResponse,
  isResource,
  type OperationOutcome,
  OperationOutcomeError,
  operationOutcome,
  type Resource,
  toOperationOutcomeError,
} from '@hospitium/fhir';
import { formatETag, type PreferReturn } from '../../headers.js';
import type { FhirContext, FhirResponse } from '../../types.js';
import { entryLabel } from './entries.js';

/** `201 Created` — the status line form used in `Bundle.entry.response.status`. */
export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim();
}

/** The response entry for a written or read resource (`location`, `etag`, `lastModified`). */
export function resourceEntry(
  resource: Resource,
  status: number,
  ctx: FhirContext,
  prefer: PreferReturn,
): BundleEntry {
  const response: BundleEntryResponse = { status: statusLine(status) };
  const versionId = resource.meta?.versionId;
  if (status === 201 && versionId)
    response.location = `${resource.resourceType}/${resource.id}/_history/${versionId}`;
  if (versionId) response.etag = formatETag(versionId);
  if (resource.meta?.lastUpdated) response.lastModified = resource.meta.lastUpdated;
  const entry: BundleEntry = {};
  if (resource.id) entry.fullUrl = `${ctx.baseUrl}/${resource.resourceType}/${resource.id}`;
  if (prefer === 'representation') entry.resource = resource;
  entry.response = response;
  return entry;
}

/** A router response as a `Bundle.entry` of a transaction-response or batch-response. */
export function responseEntry(res: FhirResponse, ctx: FhirContext, prefer: PreferReturn): BundleEntry {
  const body = typeof res.body === 'string' ? (JSON.parse(res.body) as unknown) : res.body;
  if (isResource(body) && body.resourceType !== 'OperationOutcome' && body.resourceType !== 'Bundle') {
    return resourceEntry(body, res.status, ctx, prefer);
  }
  const response: BundleEntryResponse = { status: statusLine(res.status) };
  if (res.headers.etag) response.etag = res.headers.etag;
  const entry: BundleEntry = {};
  if (isResource(body)) {
    if (body.resourceType === 'OperationOutcome') response.outcome = body;
    else if (prefer === 'representation') entry.resource = body;
  }
  entry.response = response;
  return entry;
}

/** A failed batch entry: its status and OperationOutcome. */
export function errorEntry(err: unknown): BundleEntry {
  const e = toOperationOutcomeError(err);
  return { response: { status: statusLine(e.status), outcome: e.outcome } };
}

/**
 * The error of a failed transaction: the entry's own error, its messages prefixed with the
 * entry (`Bundle.entry[3] (POST Patient): …`) and its expressions moved under the entry
 * (`Patient.birthDate` → `Bundle.entry[3].resource.birthDate`). Same HTTP status.
 */
export function entryFailure(
  entry: { index: number; method?: string; url?: string; resource?: Resource },
  err: unknown,
): OperationOutcomeError {
  const e = toOperationOutcomeError(err);
  const label = entryLabel(entry);
  const path = `Bundle.entry[${entry.index}]`;
  const type = entry.resource?.resourceType;
  const issue = e.outcome.issue.map((i) => {
    const text = i.details?.text ?? i.diagnostics ?? i.code;
    const expression = (i.expression ?? []).map((x) =>
      type && (x === type || x.startsWith(`${type}.`)) ? `${path}.resource${x.slice(type.length)}` : x,
    );
    return {
      ...i,
      details: { ...i.details, text: `${label}: ${text}` },
      expression: expression.length > 0 ? expression : [path],
    };
  });
  return new OperationOutcomeError({ ...e.outcome, issue }, { status: e.status, cause: e.cause ?? err });
}

/** An error response returned (not thrown) by the router, e.g. 405, as an OperationOutcomeError. */
export function responseError(res: FhirResponse): OperationOutcomeError {
  const body = typeof res.body === 'string' ? (JSON.parse(res.body) as unknown) : res.body;
  const outcome: OperationOutcome =
    isResource(body) && body.resourceType === 'OperationOutcome'
      ? (body as OperationOutcome)
      : operationOutcome([
          { severity: 'error', code: 'processing', details: { text: `Failed with status ${res.status}` } },
        ]);
  return new OperationOutcomeError(outcome, { status: res.status });
}
