/**
 * FHIR search escaping: `\|`, `\,`, `\$` and `\\` stand for the literal characters. The request
 * parser has already split OR values on unescaped commas; here values split on `|` and unescape.
 */
export function splitEscaped(value: string, separator: '|' | '$'): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      current += value[i + 1];
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** Removes FHIR search escapes from a value that is not split further. */
export function unescapeValue(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** Escapes `%`, `_` and `\` for a LIKE pattern (PostgreSQL's default escape character is `\`). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
