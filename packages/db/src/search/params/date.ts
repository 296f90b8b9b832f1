import { approximateDateRange, type DateRange, dateRange } from '@hospitium/fhir';
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

const instant = (iso: string): Expression => param(iso, 'timestamptz');

/**
 * Compares a stored range [start, end] with a search range [s, e] (both inclusive), per the R4
 * prefix rules (search.html#prefix): eq = stored within search; gt = the range above the search
 * (after e) overlaps the stored range; ge = gt, or stored within search; lt = the range below the
 * search (before s) overlaps the stored range; le = lt, or stored within search; sa = starts after e;
 * eb = ends before s; ne = not eq; ap = the stored range overlaps the search range widened by 10%
 * of its distance from now (at least a day), see `approximateDateRange`.
 */
export function dateCondition(
  prefix: Prefix,
  range: DateRange,
  start: Expression,
  end: Expression,
): Expression {
  const within = and(compare(start, '>=', instant(range.start)), compare(end, '<=', instant(range.end)));
  switch (prefix) {
    case 'eq':
      return within;
    case 'ne':
      return not(within);
    case 'gt':
      return compare(end, '>', instant(range.end));
    case 'ge':
      return or(compare(end, '>', instant(range.end)), within);
    case 'lt':
      return compare(start, '<', instant(range.start));
    case 'le':
      return or(compare(start, '<', instant(range.start)), within);
    case 'sa':
      return compare(start, '>', instant(range.end));
    case 'eb':
      return compare(end, '<', instant(range.start));
    case 'ap': {
      const wide = approximateDateRange(range);
      return and(compare(start, '<=', instant(wide.end)), compare(end, '>=', instant(wide.start)));
    }
  }
}

/** Parses every value of a date filter into (prefix, range); 400 naming the value when one is not a date. */
export function parseDateValues(filter: SearchFilter): { prefix: Prefix; range: DateRange }[] {
  return filter.values.map((value) => {
    const { prefix, rest } = splitPrefix(value);
    const range = dateRange(rest);
    if (!range) return invalidValue(filter, value, 'a date such as 2020, 2020-03-04 or 2020-03-04T10:00:00Z');
    return { prefix, range };
  });
}

/** Date search against idx_date (start_at, end_at), with prefixes and precision ranges; `:missing`. */
export const datePredicate: PredicateBuilder = (ctx, filter) => {
  if (filter.modifier === 'missing') return missingPredicate('idx_date', ctx, filter);
  if (filter.modifier !== undefined) return unsupportedModifier(filter, 'date');
  const conditions = parseDateValues(filter).map(({ prefix, range }) =>
    dateCondition(prefix, range, indexColumn('start_at'), indexColumn('end_at')),
  );
  return hasIndexRow('idx_date', ctx, filter.code, or(...conditions));
};
