import { badRequest } from '@hospitium/fhir';

/** `W/"3"` — FHIR ETags are weak and carry the versionId. */
export function formatETag(versionId: string): string {
  return `W/"${versionId}"`;
}

const versionIdPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * The versionId in an `If-Match` (or `ifMatch`) value: `W/"3"`, `"3"` or `3`.
 * Undefined when the header is absent; 400 when it is not a version tag.
 */
export function parseIfMatch(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const match = /^(?:W\/)?"([^"]*)"$/.exec(trimmed);
  const versionId = match ? match[1] : trimmed;
  if (!versionIdPattern.test(versionId)) {
    throw badRequest(`If-Match value '${value}' is not a version ETag such as W/"1"`);
  }
  return versionId;
}

/** An RFC 7231 HTTP date (`Last-Modified`) from a FHIR instant. */
export function httpDate(instant: string): string {
  return new Date(instant).toUTCString();
}

export const preferReturn = ['minimal', 'representation', 'OperationOutcome'] as const;
export type PreferReturn = (typeof preferReturn)[number];

export interface Prefer {
  return?: PreferReturn;
  handling?: 'strict' | 'lenient';
}

/**
 * Parses `Prefer` (RFC 7240): `return=minimal`, `handling=lenient`, comma- or semicolon-separated.
 * Unknown preferences are ignored, as the RFC requires.
 */
export function parsePrefer(value: string | undefined): Prefer {
  const prefer: Prefer = {};
  if (!value) return prefer;
  for (const part of value.split(/[,;]/)) {
    const [rawKey, rawValue] = part.split('=');
    const key = rawKey.trim().toLowerCase();
    const val = rawValue?.trim().replace(/^"|"$/g, '');
    if (key === 'return') {
      const found = preferReturn.find((r) => r.toLowerCase() === val?.toLowerCase());
      if (found) prefer.return = found;
    } else if (key === 'handling' && (val === 'strict' || val === 'lenient')) {
      prefer.handling = val;
    }
  }
  return prefer;
}
