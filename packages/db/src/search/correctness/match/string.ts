import type { TypedValue } from '../fhirpath-values.js';
import { foldText, unescapeValue } from './search-value.js';

function strings(values: unknown[]): string[] {
  return values
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v): v is string => typeof v === 'string');
}

/** R4 search.html#string: the texts of a string, HumanName or Address item. */
export function stringFacts(item: TypedValue): string[] {
  const v = item.value;
  if (typeof v === 'string') return [v];
  if (typeof v !== 'object' || v === null) return [];
  const o = v as Record<string, unknown>;
  if (item.type === 'HumanName') return strings([o.text, o.family, o.given, o.prefix, o.suffix]);
  if (item.type === 'Address')
    return strings([o.text, o.line, o.city, o.district, o.state, o.postalCode, o.country]);
  return [];
}

export function stringHasValue(item: TypedValue): boolean {
  return stringFacts(item).length > 0;
}

/** Default: starts with, ignoring case and accents; `exact`: identical; `contains`: substring, folded. */
export function stringMatches(
  item: TypedValue,
  value: string,
  modifier: 'exact' | 'contains' | undefined,
): boolean {
  const wanted = unescapeValue(value);
  const texts = stringFacts(item);
  if (modifier === 'exact') return texts.includes(wanted);
  const folded = foldText(wanted);
  if (modifier === 'contains') return texts.some((t) => foldText(t).includes(folded));
  return texts.some((t) => foldText(t).startsWith(folded));
}
