import type { TokenIndexRow } from '../types.js';
import { isRecord, nonEmptyString, STRING_TYPES } from './values.js';

/**
 * Token rows. A Coding gives (system, code, display); a CodeableConcept one row per coding with
 * the coding's display, plus a text-only row for `CodeableConcept.text`, so `:text` finds either; an Identifier (system, value, type.text); a
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
      if (isRecord(value)) {
        pushRow(param, nonEmptyString(value.system), nonEmptyString(value.value), typeText(value), out);
        pushOfType(param, value, out);
      }
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
  if (Array.isArray(concept.coding)) {
    for (const coding of concept.coding) if (isRecord(coding)) pushCoding(param, coding, null, out);
  }
  pushRow(param, null, null, nonEmptyString(concept.text), out);
}

function typeText(identifier: Record<string, unknown>): string | null {
  return isRecord(identifier.type) ? nonEmptyString(identifier.type.text) : null;
}

/**
 * `[param]:of-type` rows of an Identifier, one per `type` coding: the type's system, and
 * `type-code|value` as code, so `identifier:of-type=system|MR|12345` is one B-tree lookup.
 */
function pushOfType(param: string, identifier: Record<string, unknown>, out: TokenIndexRow[]): void {
  const value = nonEmptyString(identifier.value);
  const type = identifier.type;
  if (value === null || !isRecord(type) || !Array.isArray(type.coding)) return;
  for (const coding of type.coding) {
    const code = isRecord(coding) ? nonEmptyString(coding.code) : null;
    if (code !== null && isRecord(coding)) {
      out.push({
        param: `${param}:of-type`,
        system: nonEmptyString(coding.system),
        code: `${code}|${value}`,
        text: null,
      });
    }
  }
}

/** `[param]:identifier` row of a Reference that carries a logical identifier (`Reference.identifier`). */
export function referenceIdentifierRows(
  param: string,
  value: unknown,
  type: string,
  out: TokenIndexRow[],
): void {
  if (type !== 'Reference' || !isRecord(value) || !isRecord(value.identifier)) return;
  const { identifier } = value;
  pushRow(
    `${param}:identifier`,
    nonEmptyString(identifier.system),
    nonEmptyString(identifier.value),
    null,
    out,
  );
}
