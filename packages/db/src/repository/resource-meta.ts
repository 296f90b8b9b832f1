import {
  badRequest,
  invalidResource,
  isResource,
  isResourceType,
  type Meta,
  type Resource,
  validateResource,
} from '@hospitium/fhir';

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** 400 unless `id` is a FHIR logical id ([A-Za-z0-9-.]{1,64}). */
export function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !idPattern.test(id)) {
    throw badRequest(
      `Invalid resource id '${String(id)}': expected 1–64 characters of A-Z a-z 0-9 - .`,
      'id',
    );
  }
}

/** 400 unless `type` names an R4 resource type. */
export function assertResourceType(type: unknown): asserts type is string {
  if (typeof type !== 'string' || !/^[A-Z][A-Za-z]{0,63}$/.test(type) || !isResourceType(type)) {
    throw badRequest(`Unknown resource type '${String(type)}'`, 'resourceType');
  }
}

/**
 * Checks a resource before any write: an object with a known resourceType, valid against the R4
 * definitions. All validation issues go back in one 400 OperationOutcome when any is an error.
 */
export function checkResource(value: unknown, expectedType?: string): Resource {
  if (!isResource(value))
    throw badRequest('The body is not a FHIR resource (no resourceType)', 'resourceType');
  assertResourceType(value.resourceType);
  if (expectedType !== undefined && value.resourceType !== expectedType) {
    throw badRequest(`resourceType ${value.resourceType} does not match ${expectedType}`, 'resourceType');
  }
  const issues = validateResource(value, value.resourceType);
  if (issues.some((i) => i.severity === 'error' || i.severity === 'fatal')) throw invalidResource(issues);
  return value;
}

/**
 * The stored form of a version: the client's content with the server's id, meta.versionId and
 * meta.lastUpdated. meta.profile, tag, security and source from the client are kept; key order is
 * resourceType, id, meta, then the rest, as FHIR examples are written.
 */
export function stampVersion(
  resource: Resource,
  id: string,
  versionId: number,
  lastUpdated: string,
): Resource {
  const { resourceType, id: _clientId, meta, ...rest } = resource;
  const { versionId: _v, lastUpdated: _l, ...clientMeta } = (isObject(meta) ? meta : {}) as Meta;
  return { resourceType, id, meta: { versionId: String(versionId), lastUpdated, ...clientMeta }, ...rest };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * meta.lastUpdated for a new version: now, with millisecond precision, and always later than the
 * previous version's so that versions of one resource sort strictly by time.
 */
export function nextLastUpdated(previous?: string): string {
  const now = Date.now();
  const last = previous ? Date.parse(previous) : Number.NaN;
  return new Date(Number.isFinite(last) && now <= last ? last + 1 : now).toISOString();
}
