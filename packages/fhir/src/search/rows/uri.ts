import type { UriIndexRow } from '../types.js';
import { nonEmptyString, STRING_TYPES } from './values.js';

/** Uri rows: uri, url, canonical (Resource.meta.profile, `url` of definitions), oid and uuid values as written. */
export function uriRows(param: string, value: unknown, type: string, out: UriIndexRow[]): void {
  if (!STRING_TYPES.has(type)) return;
  const v = nonEmptyString(value);
  if (v !== null) out.push({ param, value: v });
}
