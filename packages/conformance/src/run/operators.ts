/**
 * TestScript assert operators (R4 `assert-operator-codes`) plus the peer suite's `matchesRegex`.
 * The actual value is always a list of strings: one status code, one header value (none when the
 * header is absent), or every item of a FHIRPath result.
 */
export const operators = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'greaterThan',
  'lessThan',
  'empty',
  'notEmpty',
  'contains',
  'notContains',
  'eval',
  'matchesRegex',
] as const;

export type OperatorCode = (typeof operators)[number];

export function isOperator(code: string): code is OperatorCode {
  return (operators as readonly string[]).includes(code);
}

/** Numeric comparison when both sides are numbers, else text order (ISO dates sort as text). */
function order(actual: string, expected: string): number {
  const a = Number(actual);
  const e = Number(expected);
  if (actual.trim() !== '' && expected.trim() !== '' && !Number.isNaN(a) && !Number.isNaN(e)) return a - e;
  return actual < expected ? -1 : actual > expected ? 1 : 0;
}

const listOf = (expected: string) => expected.split(',').map((s) => s.trim());

/**
 * Whether `actual` satisfies `operator` against `expected`. Operators that need an expected value
 * fail when it is missing (`expected` undefined) rather than pass vacuously.
 */
export function compare(
  operator: OperatorCode,
  actual: readonly string[],
  expected: string | undefined,
): boolean {
  const joined = actual.join(',');
  switch (operator) {
    case 'empty':
      return actual.every((v) => v === '');
    case 'notEmpty':
      return actual.some((v) => v !== '');
    case 'eval':
      return actual.length === 1 && actual[0] === 'true';
  }
  if (expected === undefined) return false;
  switch (operator) {
    case 'equals':
      return actual.length > 0 && joined === expected;
    case 'notEquals':
      return !(actual.length > 0 && joined === expected);
    case 'in':
      return actual.length > 0 && actual.every((v) => listOf(expected).includes(v));
    case 'notIn':
      return actual.every((v) => !listOf(expected).includes(v));
    case 'greaterThan':
      return actual.length === 1 && order(actual[0], expected) > 0;
    case 'lessThan':
      return actual.length === 1 && order(actual[0], expected) < 0;
    case 'contains':
      return actual.length > 0 && joined.includes(expected);
    case 'notContains':
      return !joined.includes(expected);
    case 'matchesRegex':
      return new RegExp(expected).test(joined);
  }
}
