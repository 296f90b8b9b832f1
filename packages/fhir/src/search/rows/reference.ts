import { parseReference } from '../expression/reference-target.js';
import type { ReferenceIndexRow } from '../types.js';
import { isRecord, nonEmptyString } from './values.js';

const URI_TYPES: ReadonlySet<string> = new Set(['canonical', 'uri', 'url', 'oid', 'uuid']);

/**
 * Reference rows. A Reference with a literal `reference`: relative (`Patient/123`), versioned
 * (`Patient/123/_history/2`) or absolute (`http://x/fhir/Patient/123`) give type and id;
 * `urn:uuid:`/`urn:oid:`, `#contained` and other non-FHIR forms keep only the url (so `:missing`
 * sees a contained reference as a value); no row for a Reference with only an identifier or a display. A canonical or uri target gives
 * a url-only row (written as is, `|version` included).
 */
export function referenceRows(param: string, value: unknown, type: string, out: ReferenceIndexRow[]): void {
  if (type === 'Reference') {
    if (!isRecord(value)) return;
    const url = nonEmptyString(value.reference);
    if (url === null) return;
    const parsed = url.startsWith('#') ? undefined : parseReference(url);
    out.push({ param, targetType: parsed?.type ?? null, targetId: parsed?.id ?? null, url });
  } else if (URI_TYPES.has(type)) {
    const url = nonEmptyString(value);
    if (url !== null) out.push({ param, targetType: null, targetId: null, url });
  }
}
