import { normaliseString } from '@hospitium/fhir';
import { and, eq, like, or } from '../ast.js';
import { escapeLike, unescapeValue } from '../escape.js';
import { indexKey } from '../index-key.js';
import type { PredicateBuilder } from '../predicate.js';
import { hasIndexRow, indexColumn, missingPredicate, unsupportedModifier } from './index-match.js';

/**
 * String search: default = starts with (normalised as the extractor does, so `name=josé` finds
 * `Jose`; the "C"-collated B-tree serves the prefix),
 * `:exact` = the original text, `:contains` = substring of the normalised value, `:missing`,
 * `:text` (R5, which the peer suites use on `name` and `address`): every word of the value starts
 * a word (after a space or hyphen) of some indexed part (`name:text=anna smi` finds Anna Smith and Smith, Annabel), words
 * matched independently, comma-separated values ORed.
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
    case 'text':
      return or(
        ...values.map((v) => {
          const words = indexKey(normaliseString(v))
            .split(/[\s,.;:/()-]+/)
            .filter((w) => w !== '');
          if (words.length === 0)
            return hasIndexRow('idx_string', ctx, filter.code, like(indexColumn('value'), '%'));
          return and(
            ...words.map((w) =>
              hasIndexRow(
                'idx_string',
                ctx,
                filter.code,
                or(
                  like(indexColumn('value'), `${escapeLike(w)}%`),
                  like(indexColumn('value'), `% ${escapeLike(w)}%`),
                  like(indexColumn('value'), `%-${escapeLike(w)}%`),
                ),
              ),
            ),
          );
        }),
      );
    case 'missing':
      return missingPredicate('idx_string', ctx, filter);
    default:
      return unsupportedModifier(filter, 'string');
  }
};
