import { call, eq, like, or, param } from '../ast.js';
import { escapeLike, unescapeValue } from '../escape.js';
import { indexKey } from '../index-key.js';
import type { PredicateBuilder } from '../predicate.js';
import { hasIndexRow, indexColumn, missingPredicate, unsupportedModifier } from './index-match.js';

/** URI search: exact match, `:below` (the stored URI starts with the value), `:above` (the value starts with the stored URI), `:missing`. */
export const uriPredicate: PredicateBuilder = (ctx, filter) => {
  const values = filter.values.map((v) => indexKey(unescapeValue(v)));
  switch (filter.modifier) {
    case undefined:
      return hasIndexRow('idx_uri', ctx, filter.code, or(...values.map((v) => eq(indexColumn('value'), v))));
    case 'below':
      return hasIndexRow(
        'idx_uri',
        ctx,
        filter.code,
        or(...values.map((v) => like(indexColumn('value'), `${escapeLike(v)}%`))),
      );
    case 'above':
      return hasIndexRow(
        'idx_uri',
        ctx,
        filter.code,
        or(...values.map((v) => call('starts_with', param(v), indexColumn('value')))),
      );
    case 'missing':
      return missingPredicate('idx_uri', ctx, filter);
    default:
      return unsupportedModifier(filter, 'uri');
  }
};
