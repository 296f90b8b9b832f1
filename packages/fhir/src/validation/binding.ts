import { requiredValueSetCodes, type ValueSetCodes } from '../definitions/valuesets.js';
import { addError, type Issues, isJsonObject } from './issues.js';

/**
 * Required bindings (https://hl7.org/fhir/R4/terminologies.html#required): the code must come from
 * the value set. Only value sets expandable from the core definitions are checked; the others
 * (SNOMED CT, UCUM, MIME types, languages …) are skipped silently.
 */
export function checkRequiredBinding(
  valueSet: string,
  typeCode: string,
  value: unknown,
  path: string,
  issues: Issues,
): void {
  const codes = requiredValueSetCodes(valueSet);
  if (!codes) return;
  if (typeof value === 'string') {
    if (!codes.codes.has(value)) {
      const text = `${path} has code "${value}", which is not in the required value set ${valueSet}${allowed(codes)}.`;
      addError(issues, 'code-invalid', text, path);
    }
  } else if (typeCode === 'Coding') {
    checkCoding(codes, valueSet, value, path, issues);
  } else if (typeCode === 'CodeableConcept' && isJsonObject(value) && Array.isArray(value.coding)) {
    // One coding from the value set is enough; translations into other systems may sit beside it.
    const codings = value.coding.filter(isJsonObject);
    if (codings.length === 0 || codings.some((c) => codingMatches(codes, c))) return;
    const shown = codings.map((c) => `${String(c.system ?? '')}|${String(c.code ?? '')}`).join(', ');
    const text = `${path} has no coding from the required value set ${valueSet}${allowed(codes)}; found ${shown}.`;
    addError(issues, 'code-invalid', text, path);
  }
}

function checkCoding(
  codes: ValueSetCodes,
  valueSet: string,
  value: unknown,
  path: string,
  issues: Issues,
): void {
  if (!isJsonObject(value) || codingMatches(codes, value)) return;
  const text = `${path} has code ${String(value.system)}|${String(value.code)}, which is not in the required value set ${valueSet}${allowed(codes)}.`;
  addError(issues, 'code-invalid', text, path);
}

function codingMatches(codes: ValueSetCodes, coding: Record<string, unknown>): boolean {
  const { system, code } = coding;
  if (typeof code !== 'string') return true; // nothing to check; a missing code is not a binding error
  if (typeof system !== 'string') return codes.codes.has(code);
  return codes.systems.get(system)?.has(code) === true;
}

/** Short value sets are listed in the message so the sender can fix the code without looking it up. */
function allowed(codes: ValueSetCodes): string {
  return codes.codes.size <= 12 ? ` (allowed: ${[...codes.codes].join(', ')})` : '';
}
