import type { TypedValue } from '../fhirpath-values.js';
import { foldText, splitUnescaped, unescapeValue } from './search-value.js';

/** What a token search sees in one item: (system, code) pairs and display texts. */
export interface TokenFacts {
  codes: { system?: string; code?: string }[];
  texts: string[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}

function coding(v: unknown): TokenFacts {
  const c = record(v);
  return {
    codes: [{ system: str(c.system), code: str(c.code) }],
    texts: [str(c.display)].filter((t): t is string => t !== undefined),
  };
}

/** R4 search.html#token: which parts of each datatype a token parameter matches. */
export function tokenFacts(item: TypedValue): TokenFacts {
  const v = item.value;
  switch (item.type) {
    case 'Coding':
      return coding(v);
    case 'CodeableConcept': {
      const cc = record(v);
      const codings = (Array.isArray(cc.coding) ? cc.coding : []).map(coding);
      return {
        codes: codings.flatMap((c) => c.codes),
        texts: [str(cc.text), ...codings.flatMap((c) => c.texts)].filter((t): t is string => t !== undefined),
      };
    }
    case 'Identifier': {
      const id = record(v);
      const typeText = str(record(id.type).text);
      return { codes: [{ system: str(id.system), code: str(id.value) }], texts: typeText ? [typeText] : [] };
    }
    case 'ContactPoint':
      return { codes: [{ code: str(record(v).value) }], texts: [] };
    case 'boolean':
      return { codes: [{ code: String(v) }], texts: [] };
    default:
      return typeof v === 'string' ? { codes: [{ code: v }], texts: [] } : { codes: [], texts: [] };
  }
}

/** True when the item holds something a token search can find (for `:missing`). */
export function tokenHasValue(item: TypedValue): boolean {
  const facts = tokenFacts(item);
  // A CodeableConcept with only text is a value too: `:text` finds it.
  return facts.texts.length > 0 || facts.codes.some((c) => c.code !== undefined || c.system !== undefined);
}

/** `code`, `system|code`, `|code` (no system), `system|` (any code of the system). */
export function tokenMatches(item: TypedValue, value: string): boolean {
  const parts = splitUnescaped(value, '|');
  const codes = tokenFacts(item).codes;
  if (parts.length === 1) return codes.some((c) => c.code === parts[0]);
  const system = parts[0];
  const code = parts.slice(1).join('|');
  if (system === '') return codes.some((c) => c.system === undefined && c.code === code);
  if (code === '') return codes.some((c) => c.system === system);
  return codes.some((c) => c.system === system && c.code === code);
}

/** Readings of `:text` other than R4's, used only to recognise known discrepancies. */
export interface TextReading {
  /** Texts only ASCII-lower-cased (accents kept) before comparing with the folded value. */
  storedUnfolded?: boolean;
  /** A CodeableConcept's text hides its codings' displays. */
  conceptTextOnly?: boolean;
}

/** `:text`: a display text (CodeableConcept.text, Coding.display, Identifier.type.text) starts with the value. */
export function tokenTextMatches(item: TypedValue, value: string, reading: TextReading = {}): boolean {
  const wanted = foldText(unescapeValue(value));
  const fold = reading.storedUnfolded ? (t: string) => t.replace(/[A-Z]/g, (c) => c.toLowerCase()) : foldText;
  const ccText = item.type === 'CodeableConcept' ? str(record(item.value).text) : undefined;
  const texts = reading.conceptTextOnly && ccText !== undefined ? [ccText] : tokenFacts(item).texts;
  return texts.some((t) => fold(t).startsWith(wanted));
}
