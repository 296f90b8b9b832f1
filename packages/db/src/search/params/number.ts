import type { SearchFilter } from '../../repository/types.js';
import { and, compare, type Expression, not, or, param } from '../ast.js';
import type { PredicateBuilder } from '../predicate.js';
import type { Prefix } from '../prefix.js';
import { splitPrefix } from '../prefix.js';
import {
  hasIndexRow,
  indexColumn,
  invalidValue,
  missingPredicate,
  unsupportedModifier,
} from './index-match.js';

const decimalPattern = /^[+-]?(?:\d+(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?$/;

/** A search number with the half-unit of its last significant digit (`100` → 0.5, `1.50` → 0.005). */
export interface SearchNumber {
  value: number;
  halfUnit: number;
  /** The value as written, and the exact bounds of its precision range, as decimal text. */
  text: string;
  low: string;
  high: string;
}

export function parseSearchNumber(text: string): SearchNumber | undefined {
  const m = decimalPattern.exec(text);
  if (!m) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const decimals = (m[1] ?? m[2] ?? '').length;
  const exponent = m[3] ? Number(m[3]) : 0;
  const { low, high } = precisionBounds(text, decimals, exponent);
  return { value, halfUnit: 0.5 * 10 ** (exponent - decimals), text, low, high };
}

/**
 * [value − ½ unit, value + ½ unit) computed exactly on the decimal digits (as BigInt), so that a
 * value written with all 16–17 significant digits still finds itself: in floating point the
 * half unit vanishes and the range comes out empty.
 */
function precisionBounds(text: string, decimals: number, exponent: number): { low: string; high: string } {
  const mantissa = text.replace(/[eE].*$/, '');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^[+-]/, '').replace('.', '') || '0';
  // value = ±digits × 10^(exponent − decimals); one more digit of scale makes the half unit 5.
  const scaled = BigInt(digits) * 10n * (negative ? -1n : 1n);
  const scale = decimals - exponent + 1;
  return { low: decimalText(scaled - 5n, scale), high: decimalText(scaled + 5n, scale) };
}

/** n × 10^−scale as plain decimal text (PostgreSQL numeric input). */
function decimalText(n: bigint, scale: number): string {
  const sign = n < 0n ? '-' : '';
  let digits = (n < 0n ? -n : n).toString();
  if (scale <= 0) return `${sign}${digits}${'0'.repeat(-scale)}`;
  digits = digits.padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const num = (n: number): Expression => param(String(n), 'numeric');
const exact = (text: string): Expression => param(text, 'numeric');

/**
 * Compares a stored number with a search number. `eq` honours the search value's precision
 * (`100` matches [99.5, 100.5)); the other prefixes compare with the value itself; `ap` is ±10 %.
 */
export function numberCondition(prefix: Prefix, n: SearchNumber, value: Expression): Expression {
  const within = and(compare(value, '>=', exact(n.low)), compare(value, '<', exact(n.high)));
  switch (prefix) {
    case 'eq':
      return within;
    case 'ne':
      return not(within);
    case 'gt':
    case 'sa':
      return compare(value, '>', exact(n.text));
    case 'ge':
      return compare(value, '>=', exact(n.text));
    case 'lt':
    case 'eb':
      return compare(value, '<', exact(n.text));
    case 'le':
      return compare(value, '<=', exact(n.text));
    case 'ap': {
      const margin = Math.abs(n.value) * 0.1;
      return and(compare(value, '>=', num(n.value - margin)), compare(value, '<=', num(n.value + margin)));
    }
  }
}

/** Reads `[prefix]number`; 400 naming the value otherwise. */
export function parsePrefixedNumber(
  filter: SearchFilter,
  value: string,
  text: string,
): { prefix: Prefix; n: SearchNumber } {
  const { prefix, rest } = splitPrefix(text);
  const n = parseSearchNumber(rest);
  if (!n) return invalidValue(filter, value, 'a number, optionally with a prefix such as ge or lt');
  return { prefix, n };
}

/** Number search against idx_number; `:missing`. */
export const numberPredicate: PredicateBuilder = (ctx, filter) => {
  if (filter.modifier === 'missing') return missingPredicate('idx_number', ctx, filter);
  if (filter.modifier !== undefined) return unsupportedModifier(filter, 'number');
  const conditions = filter.values.map((value) => {
    const { prefix, n } = parsePrefixedNumber(filter, value, value);
    return numberCondition(prefix, n, indexColumn('value'));
  });
  return hasIndexRow('idx_number', ctx, filter.code, or(...conditions));
};
