/**
 * Reading search values as R4 writes them (search.html#escaping): `\,` `\|` `\$` `\\` are
 * literal characters; an unescaped `|` separates token and quantity parts.
 */

/** Splits on unescaped `sep` and unescapes each part. */
export function splitUnescaped(value: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      current += value[++i];
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/** The value with its escapes removed. */
export function unescapeValue(value: string): string {
  return splitUnescaped(value, '\u0000').join('');
}

/** Escapes the characters that have a meaning in a search value. */
export function escapeValue(value: string): string {
  return value.replace(/[\\,|$]/g, (c) => `\\${c}`);
}

export const comparators = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type Comparator = (typeof comparators)[number];

/** `ge2020` → (`ge`, `2020`); no prefix means `eq`. */
export function readPrefix(value: string): { prefix: Comparator; rest: string } {
  const head = value.slice(0, 2);
  const known = comparators.find((c) => c === head);
  if (known && /^[0-9+\-.]/.test(value.slice(2))) return { prefix: known, rest: value.slice(2) };
  return { prefix: 'eq', rest: value };
}

/**
 * The R4 default string comparison ignores case and accents (search.html#string); whitespace
 * runs are treated as one space.
 */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
