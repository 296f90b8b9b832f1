import type { SearchFilter } from '../../repository/types.js';
import { and, type Expression, eq, or } from '../ast.js';
import { splitEscaped } from '../escape.js';
import { indexKey } from '../index-key.js';
import type { PredicateBuilder } from '../predicate.js';
import {
  hasIndexRow,
  indexColumn,
  invalidValue,
  missingPredicate,
  unsupportedModifier,
} from './index-match.js';
import { numberCondition, parsePrefixedNumber } from './number.js';

/**
 * `[prefix]number`, `[prefix]number|system|code` or `[prefix]number||code` (code or unit). With a
 * system the code must match exactly; without one the value may name the code or the unit text.
 */
export function quantityMatch(
  filter: SearchFilter,
  value: string,
  col: (name: string) => Expression = indexColumn,
): Expression {
  const parts = splitEscaped(value, '|');
  if (parts.length !== 1 && parts.length !== 3) {
    return invalidValue(filter, value, 'number, or number|system|code');
  }
  const { prefix, n } = parsePrefixedNumber(filter, value, parts[0]);
  const conditions = [numberCondition(prefix, n, col('value'))];
  if (parts.length === 3) {
    const [, system, code] = parts;
    if (system !== '') conditions.push(eq(col('system'), indexKey(system)));
    if (code !== '') {
      conditions.push(
        system !== ''
          ? eq(col('code'), indexKey(code))
          : or(eq(col('code'), indexKey(code)), eq(col('unit'), code)),
      );
    }
  }
  return and(...conditions);
}

/** Quantity search against idx_quantity; `:missing`. */
export const quantityPredicate: PredicateBuilder = (ctx, filter) => {
  if (filter.modifier === 'missing') return missingPredicate('idx_quantity', ctx, filter);
  if (filter.modifier !== undefined) return unsupportedModifier(filter, 'quantity');
  return hasIndexRow(
    'idx_quantity',
    ctx,
    filter.code,
    or(...filter.values.map((v) => quantityMatch(filter, v))),
  );
};
