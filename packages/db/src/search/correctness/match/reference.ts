import type { TypedValue } from '../fhirpath-values.js';
import { unescapeValue } from './search-value.js';

/** The reference text of a Reference, canonical or uri item. */
export function referenceText(item: TypedValue): string | undefined {
  const v = item.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null) {
    const ref = (v as { reference?: unknown }).reference;
    return typeof ref === 'string' ? ref : undefined;
  }
  return undefined;
}

const relative = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** A relative literal reference `Type/id` (or `Type/id/_history/n`) → type and id. */
export function referenceTarget(text: string): { type: string; id: string } | undefined {
  const m = relative.exec(text);
  return m ? { type: m[1], id: m[2] } : undefined;
}

export function referenceHasValue(item: TypedValue): boolean {
  return referenceText(item) !== undefined;
}

/**
 * R4 search.html#reference. A Reference written `Type/id` matches `Type/id` and the bare id
 * (typed by the `:Type` modifier, or by the parameter's only target type, else any type); any
 * other reference (absolute URL, canonical, `#contained`) matches its own text only.
 */
export function referenceMatches(
  item: TypedValue,
  value: string,
  typeModifier: string | undefined,
  targets: readonly string[],
): boolean {
  const text = referenceText(item);
  if (text === undefined) return false;
  const wanted = unescapeValue(value);
  const target = item.type === 'Reference' ? referenceTarget(text) : undefined;
  if (!target) return text === wanted;
  if (!wanted.includes('/')) {
    const type = typeModifier ?? (targets.length === 1 ? targets[0] : undefined);
    return target.id === wanted && (type === undefined || target.type === type);
  }
  const parsed = referenceTarget(wanted);
  return parsed !== undefined && parsed.type === target.type && parsed.id === target.id;
}

/** uri: identical; `:below` the stored URI starts with the value; `:above` the value starts with it. */
export function uriMatches(
  item: TypedValue,
  value: string,
  modifier: 'below' | 'above' | undefined,
): boolean {
  const text = typeof item.value === 'string' ? item.value : undefined;
  if (text === undefined) return false;
  const wanted = unescapeValue(value);
  if (modifier === 'below') return text.startsWith(wanted);
  if (modifier === 'above') return wanted.startsWith(text);
  return text === wanted;
}
