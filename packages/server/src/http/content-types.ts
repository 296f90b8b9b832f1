import type { FastifyInstance } from 'fastify';
import { parseJsonBody } from './json-body.js';

/** JSON media types accepted in request bodies (FHIR, plain JSON, JSON Patch, the DSTU2-era alias). */
export const jsonMediaTypes = [
  'application/fhir+json',
  'application/json',
  'application/json-patch+json',
  'application/json+fhir',
] as const;

/** Every response body is FHIR JSON. */
export const fhirJsonContentType = 'application/fhir+json; charset=utf-8';

/**
 * Replaces Fastify's parsers: JSON types through the prototype-safe parser (its 400s name the
 * parse problem), form bodies as URLSearchParams for `POST _search`. Anything else → 415
 * (Fastify's FST_ERR_CTP_INVALID_MEDIA_TYPE, mapped to an OperationOutcome).
 */
export function registerContentTypeParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    [...jsonMediaTypes],
    { parseAs: 'string' },
    async (_req: unknown, body: string | Buffer) => parseJsonBody(body.toString()),
  );
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    async (_req: unknown, body: string | Buffer) => new URLSearchParams(body.toString()),
  );
}

/** True when an `Accept` header admits a JSON response (`*\/*`, `application/*`, any `…json`). */
export function acceptsJson(accept: string): boolean {
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (params.some((p) => /^q=0(\.0*)?$/.test(p))) return false;
    return type === '*/*' || type === 'application/*' || type === '' || type.endsWith('json');
  });
}

/** True for `_format` values meaning JSON (`json`, `application/json`, `application/fhir+json`). */
export function isJsonFormat(format: string): boolean {
  // An unencoded `+` in the query decodes to a space.
  const f = format.trim().toLowerCase().replaceAll(' ', '+');
  return f === 'json' || (jsonMediaTypes as readonly string[]).includes(f);
}
