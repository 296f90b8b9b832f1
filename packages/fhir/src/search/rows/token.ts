import type { TokenIndexRow } from '../types.js';
import { isRecord, nonEmptyString, STRING_TYPES } from './values.js';

/**
 * Token rows. A Coding gives (system, code, display); a CodeableConcept one row per coding,
 * each carrying `CodeableConcept.text` (or, without it, the coding's display) for `:text`, and
 * a text-only row when it has no coding; an Identifier (system, value, type.text); a
 * ContactPoint its value (FHIR matches a token on ContactPoint by value); a code, string, id,
 * uri or boolean primitive its value with a null system.
 */
export function tokenRows(param: string, value: unknown, type: string, out: TokenIndexRow[]): void {
  switch (type) {
    case 'Coding':
      if (isRecord(value)) pushCoding(param, value, null, out);
      return;
    case 'CodeableConcept':
      if (isRecord(value)) pushCodeableConcept(param, value, out);
      return;
    case 'Identifier':
      if (isRecord(value))
        pushRow(param, nonEmptyString(value.system), nonEmptyString(value.value), typeText(value), out);
      return;
    case 'ContactPoint':
      if (isRecord(value)) pushRow(param, null, nonEmptyString(value.value), null, out);
      return;
    case 'boolean':
    case 'System.Boolean':
      if (typeof value === 'boolean') pushRow(param, null, value ? 'true' : 'false', null, out);
      return;
    default:
      if (STRING_TYPES.has(type)) pushRow(param, null, nonEmptyString(value), null, out);
  }
}

function pushRow(
  param: string,
  system: string | null,
  code: string | null,
  text: string | null,
  out: TokenIndexRow[],
): void {
  if (system !== null || code !== null || text !== null) out.push({ param, system, code, text });
}

function pushCoding(
  param: string,
  coding: Record<string, unknown>,
  text: string | null,
  out: TokenIndexRow[],
): void {
  pushRow(
    param,
    nonEmptyString(coding.system),
    nonEmptyString(coding.code),
    text ?? nonEmptyString(coding.display),
    out,
  );
}

function pushCodeableConcept(param: string, concept: Record<string, unknown>, out: TokenIndexRow[]): void {
  const text = nonEmptyString(concept.text);
  const before = out.length;
  if (Array.isArray(concept.coding)) {
    for (const coding of concept.coding) if (isRecord(coding)) pushCoding(param, coding, text, out);
  }
  if (out.length === before && text !== null) pushRow(param, null, null, text, out);
}

function typeText(identifier: Record<string, unknown>): string | null {
  return isRecord(identifier.type) ? nonEmptyString(identifier.type.text) : null;
}
