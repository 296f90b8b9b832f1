/** Narrowing helpers for index values: resource JSON is untrusted, anything may be any shape. */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string, else null. */
export function nonEmptyString(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** A finite JSON number, else null. */
export function finiteNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The FHIR string-like primitive types (and the `System.String` of `Resource.id`). */
export const STRING_TYPES: ReadonlySet<string> = new Set([
  'string',
  'markdown',
  'code',
  'id',
  'uri',
  'url',
  'canonical',
  'oid',
  'uuid',
  'base64Binary',
  'System.String',
]);
