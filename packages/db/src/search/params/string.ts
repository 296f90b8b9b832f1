import { normaliseString } from '@hospitium/fhir';
import { eq, like, or } from '../ast.js';
import { escapeLike, unescapeValue } from '../escape.js';
import { indexKey } from '../index-key.js';
import type { PredicateBuilder } from '../predicate.js';
import { hasIndexRow, indexColumn, missingPredicate, unsupportedModifier } from './index-match.js';

/**
 * String search: default = starts with (normalised as the extractor does, so `name=josé` finds
 * `Jose`; the "C"-collated B-tree serves the prefix),
 * `:exact` = the original text, `:contains` = substring of the normalised value, `:missing`.
 */
export const stringPredicate: PredicateBuilder = (ctx, filter) => {
  const values = filter.values.map(unescapeValue);
  switch (filter.modifier) {
    case undefined:
      return hasIndexRow(
        'idx_string',
        ctx,
        filter.code,
        or(...values.map((v) => like(indexColumn('value'), `${escapeLike(indexKey(normaliseString(v)))}%`))),
      );
    case 'exact':
      return hasIndexRow(
        'idx_string',
        ctx,
        filter.code,
        or(...values.map((v) => eq(indexColumn('exact'), v))),
      );
    case 'contains':
      return hasIndexRow(
        'idx_string',
        ctx,
        filter.code,
        or(...values.map((v) => like(indexColumn('value'), `%${escapeLike(normaliseString(v))}%`))),
      );
    case 'missing':
      return missingPredicate('idx_string', ctx, filter);
    default:
      return unsupportedModifier(filter, 'string');
  }
};
