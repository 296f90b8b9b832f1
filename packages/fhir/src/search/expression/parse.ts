/**
 * A parser for the few FHIRPath shapes that nearly every R4 SearchParameter uses. Anything
 * else returns `undefined`, and the caller evaluates that expression with HL7's `fhirpath`.
 *
 * Accepted (one part of a union):
 *   Observation.code.coding                       dotted path
 *   (Observation.value as Quantity)[.more]        `as` in parentheses, optionally continued
 *   Condition.onset.as(Age) / X.ofType(Period)    type filters
 *   Observation.subject.where(resolve() is Patient)
 *   Patient.telecom.where(system='email')
 */

export type PathStep =
  | { readonly kind: 'child'; readonly name: string }
  /** `as T`, `.as(T)` and `.ofType(T)`: keep the values of type T (or a subtype). */
  | { readonly kind: 'ofType'; readonly type: string }
  | { readonly kind: 'whereResolveIs'; readonly type: string }
  | { readonly kind: 'whereEquals'; readonly name: string; readonly value: string };

export interface SimplePath {
  readonly root: string;
  readonly steps: readonly PathStep[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  /** Consumes `s` (after optional whitespace) when it is next. */
  eat(s: string): boolean {
    this.skipSpace();
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  ident(): string | undefined {
    this.skipSpace();
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** A keyword followed by whitespace (`as`, `is`), not a prefix of a longer identifier. */
  keyword(word: string): boolean {
    this.skipSpace();
    const end = this.pos + word.length;
    if (this.text.startsWith(word, this.pos) && end < this.text.length && /\s/.test(this.text[end])) {
      this.pos = end;
      return true;
    }
    return false;
  }

  /** A single-quoted literal without escapes. */
  literal(): string | undefined {
    this.skipSpace();
    if (this.text[this.pos] !== "'") return undefined;
    const end = this.text.indexOf("'", this.pos + 1);
    if (end < 0) return undefined;
    const value = this.text.slice(this.pos + 1, end);
    if (value.includes('\\')) return undefined;
    this.pos = end + 1;
    return value;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }
}

/** `.name`, `.as(T)`, `.ofType(T)`, `.where(…)` after the dot; undefined when unsupported. */
function parseStep(c: Cursor): PathStep | undefined {
  const name = c.ident();
  if (!name) return undefined;
  if (!c.eat('(')) return { kind: 'child', name };
  if (name === 'as' || name === 'ofType') {
    const type = c.ident();
    return type && c.eat(')') ? { kind: 'ofType', type } : undefined;
  }
  if (name !== 'where') return undefined;
  const inner = c.ident();
  if (inner === 'resolve') {
    if (!c.eat('(') || !c.eat(')') || !c.keyword('is')) return undefined;
    const type = c.ident();
    return type && c.eat(')') ? { kind: 'whereResolveIs', type } : undefined;
  }
  if (!inner || !c.eat('=')) return undefined;
  const value = c.literal();
  return value !== undefined && c.eat(')') ? { kind: 'whereEquals', name: inner, value } : undefined;
}

function parseChain(c: Cursor, steps: PathStep[]): boolean {
  while (c.eat('.')) {
    const step = parseStep(c);
    if (!step) return false;
    steps.push(step);
  }
  return true;
}

/** Parses one union part into a root type and steps, or `undefined` when it is not a simple shape. */
export function parseSimplePath(part: string): SimplePath | undefined {
  const c = new Cursor(part);
  const steps: PathStep[] = [];
  let root: string | undefined;
  if (c.eat('(')) {
    root = c.ident();
    if (!root || !parseChain(c, steps)) return undefined;
    if (c.keyword('as')) {
      const type = c.ident();
      if (!type) return undefined;
      steps.push({ kind: 'ofType', type });
    }
    if (!c.eat(')')) return undefined;
  } else {
    root = c.ident();
    if (!root) return undefined;
  }
  if (!parseChain(c, steps) || !c.atEnd()) return undefined;
  return { root, steps };
}
