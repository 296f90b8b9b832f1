import { normaliseString } from '@hospitium/fhir';
import { and, call, type Expression, eq, isNull, like, or } from '../ast.js';
import { escapeLike, splitEscaped } from '../escape.js';
import { indexKey } from '../index-key.js';
import type { PredicateBuilder } from '../predicate.js';
import {
  hasIndexRow,
  hasNoIndexRow,
  indexColumn,
  missingPredicate,
  unsupportedModifier,
} from './index-match.js';

/**
 * `code`, `system|code`, `|code` (no system) and `system|` (any code in the system) against
 * idx_token; served by the (resource_type, param, code, system) B-tree.
 */
export function tokenMatch(value: string): Expression {
  const parts = splitEscaped(value, '|').map(indexKey);
  if (parts.length === 1) return eq(indexColumn('code'), parts[0]);
  const [system, code] = [parts[0], indexKey(parts.slice(1).join('|'))];
  if (system === '') return and(isNull(indexColumn('system')), eq(indexColumn('code'), code));
  if (code === '') return eq(indexColumn('system'), system);
  return and(eq(indexColumn('code'), code), eq(indexColumn('system'), system));
}

/** Token search: default, `:not` (no matching row), `:text` (display text starts with), `:missing`. */
export const tokenPredicate: PredicateBuilder = (ctx, filter) => {
  switch (filter.modifier) {
    case undefined:
      return hasIndexRow('idx_token', ctx, filter.code, or(...filter.values.map(tokenMatch)));
    case 'not':
      return hasNoIndexRow('idx_token', ctx, filter.code, or(...filter.values.map(tokenMatch)));
    case 'text': {
      const matches = filter.values.map((v) =>
        like(call('lower', indexColumn('text_value')), `${escapeLike(normaliseString(v))}%`),
      );
      return hasIndexRow('idx_token', ctx, filter.code, or(...matches));
    }
    case 'missing':
      return missingPredicate('idx_token', ctx, filter);
    default:
      return unsupportedModifier(filter, 'token');
  }
};
