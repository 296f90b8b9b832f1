/**
 * R4 SearchParameters share one expression across many resource types, joined with `|`
 * (`AllergyIntolerance.patient | CarePlan.subject.where(resolve() is Patient) | …`).
 * These helpers cut such a union into its parts and keep the parts for one type.
 */

/** Splits at top-level `|` (not inside parentheses or string literals); parts are trimmed. */
export function splitUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === "'") quote = false;
    } else if (c === "'") quote = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** The type name a part starts from: `(Observation.value as Quantity)` → `Observation`. */
export function partRoot(part: string): string | undefined {
  return /^\(*\s*([A-Za-z][A-Za-z0-9]*)/.exec(part)?.[1];
}

/**
 * The parts of `expression` that apply to a resource whose type (with its ancestors) is
 * `typeChain`, e.g. `['Observation', 'DomainResource', 'Resource']`. A part that starts with an
 * element name rather than a type (InsurancePlan `name | alias`) is relative to the resource
 * and is qualified with its type. `expression` may be given already split.
 */
export function partsForType(expression: string | readonly string[], typeChain: readonly string[]): string[] {
  const out: string[] = [];
  for (const part of typeof expression === 'string' ? splitUnion(expression) : expression) {
    const root = partRoot(part);
    if (root === undefined) continue;
    if (typeChain.includes(root)) out.push(part);
    else if (/^[a-z]/.test(root) && part.startsWith(root)) out.push(`${typeChain[0]}.${part}`);
  }
  return out;
}
