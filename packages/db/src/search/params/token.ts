import { normaliseString } from '@hospitium/fhir';
import { and, type Expression, eq, isNull, like, or } from '../ast.js';
import { escapeLike, splitEscaped, unescapeValue } from '../escape.js';
import { indexKey } from '../index-key.js';
import type { PredicateBuilder } from '../predicate.js';
import {
  hasIndexRow,
  hasNoIndexRow,
  indexColumn,
  missingPredicate,
  unsupportedModifier,
} from './index-match.js';
import { ofTypeMatch, subsumptionMatch, valueSetMatch } from './token-terminology.js';

/**
 * `code`, `system|code`, `|code` (no system) and `system|` (any code in the system) against
 * idx_token; served by the (resource_type, param, code, system) B-tree.
 */
export function tokenMatch(value: string, col: (name: string) => Expression = indexColumn): Expression {
  const parts = splitEscaped(value, '|').map(indexKey);
  if (parts.length === 1) return eq(col('code'), parts[0]);
  const [system, code] = [parts[0], indexKey(parts.slice(1).join('|'))];
  if (system === '') return and(isNull(col('system')), eq(col('code'), code));
  if (code === '') return eq(col('system'), system);
  return and(eq(col('code'), code), eq(col('system'), system));
}

/**
 * Token search: default, `:not` (no matching row), `:text` (display text starts with), `:in` /
 * `:not-in` (core ValueSets), `:below` / `:above` (core CodeSystem hierarchies), `:of-type`
 * (Identifier type + value), `:missing`.
 */
export const tokenPredicate: PredicateBuilder = (ctx, filter) => {
  switch (filter.modifier) {
    case undefined:
      return hasIndexRow('idx_token', ctx, filter.code, or(...filter.values.map((v) => tokenMatch(v))));
    case 'not':
      return hasNoIndexRow('idx_token', ctx, filter.code, or(...filter.values.map((v) => tokenMatch(v))));
    case 'text': {
      // text_value is stored normalised (lower case, accents removed), so no lower() here:
      // under the "C" collation lower() folds ASCII only.
      const matches = filter.values.map((v) =>
        like(indexColumn('text_value'), `${escapeLike(normaliseString(unescapeValue(v)))}%`),
      );
      return hasIndexRow('idx_token', ctx, filter.code, or(...matches));
    }
    case 'in':
      return hasIndexRow(
        'idx_token',
        ctx,
        filter.code,
        or(...filter.values.map((v) => valueSetMatch(filter, v))),
      );
    case 'not-in':
      return hasNoIndexRow(
        'idx_token',
        ctx,
        filter.code,
        or(...filter.values.map((v) => valueSetMatch(filter, v))),
      );
    case 'below':
    case 'above': {
      const direction = filter.modifier;
      const matches = filter.values.map((v) => subsumptionMatch(filter, v, direction));
      return hasIndexRow('idx_token', ctx, filter.code, or(...matches));
    }
    case 'of-type':
      return hasIndexRow(
        'idx_token',
        ctx,
        `${filter.code}:of-type`,
        or(...filter.values.map((v) => ofTypeMatch(filter, v))),
      );
    case 'missing':
      return missingPredicate('idx_token', ctx, filter);
    default:
      return unsupportedModifier(filter, 'token');
  }
};
