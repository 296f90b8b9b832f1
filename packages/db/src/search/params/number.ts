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
}

export function parseSearchNumber(text: string): SearchNumber | undefined {
  const m = decimalPattern.exec(text);
  if (!m) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) return undefined;
  const decimals = (m[1] ?? m[2] ?? '').length;
  const exponent = m[3] ? Number(m[3]) : 0;
  return { value, halfUnit: 0.5 * 10 ** (exponent - decimals) };
}

const num = (n: number): Expression => param(String(n), 'numeric');

/**
 * Compares a stored number with a search number. `eq` honours the search value's precision
 * (`100` matches [99.5, 100.5)); the other prefixes compare with the value itself; `ap` is ±10 %.
 */
export function numberCondition(prefix: Prefix, n: SearchNumber, value: Expression): Expression {
  const within = and(
    compare(value, '>=', num(n.value - n.halfUnit)),
    compare(value, '<', num(n.value + n.halfUnit)),
  );
  switch (prefix) {
    case 'eq':
      return within;
    case 'ne':
      return not(within);
    case 'gt':
    case 'sa':
      return compare(value, '>', num(n.value));
    case 'ge':
      return compare(value, '>=', num(n.value));
    case 'lt':
    case 'eb':
      return compare(value, '<', num(n.value));
    case 'le':
      return compare(value, '<=', num(n.value));
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
