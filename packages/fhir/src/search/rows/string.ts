import type { StringIndexRow } from '../types.js';
import { isRecord, STRING_TYPES } from './values.js';

const COMBINING_MARKS = /\p{M}/gu;
const WHITESPACE = /\s+/g;
const PLAIN_ASCII = /^(?:[\x21-\x7e]+(?: [\x21-\x7e]+)*)?$/;

/**
 * The form string search matches on: accents removed (NFD, combining marks dropped), lower
 * case, runs of whitespace collapsed to one space, trimmed. `Renée  Dupont` → `renee dupont`.
 */
export function normaliseString(s: string): string {
  // Most values are plain ASCII with single spaces; skip the Unicode work for them.
  if (PLAIN_ASCII.test(s)) return s.toLowerCase();
  return s.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase().replace(WHITESPACE, ' ').trim();
}

const HUMAN_NAME_PARTS = ['family', 'given', 'prefix', 'suffix', 'text'] as const;
const ADDRESS_PARTS = ['line', 'city', 'district', 'state', 'postalCode', 'country', 'text'] as const;

/**
 * String rows: a HumanName gives one row per family, given, prefix, suffix and text; an
 * Address one per line, city, district, state, postalCode, country and text; a string-like
 * primitive (string, markdown, code, uri …) one row. `value` is normalised, `exact` as written.
 */
export function stringRows(param: string, value: unknown, type: string, out: StringIndexRow[]): void {
  if (type === 'HumanName') pushParts(param, value, HUMAN_NAME_PARTS, out);
  else if (type === 'Address') pushParts(param, value, ADDRESS_PARTS, out);
  else if (STRING_TYPES.has(type)) pushString(param, value, out);
}

function pushString(param: string, exact: unknown, out: StringIndexRow[]): void {
  if (typeof exact !== 'string') return;
  const value = normaliseString(exact);
  if (value.length > 0) out.push({ param, value, exact });
}

function pushParts(param: string, data: unknown, parts: readonly string[], out: StringIndexRow[]): void {
  if (!isRecord(data)) return;
  for (const part of parts) {
    const v = data[part];
    if (Array.isArray(v)) for (const item of v) pushString(param, item, out);
    else pushString(param, v, out);
  }
}
