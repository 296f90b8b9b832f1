import { badRequest, compositeComponentTypes, normaliseString, type SearchParamType } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { and, type Expression, eq, like, or } from '../ast.js';
import { escapeLike, unescapeValue } from '../escape.js';
import { indexKey } from '../index-key.js';
import { filterName, type PredicateBuilder } from '../predicate.js';
import { dateCondition, parseDateValues } from './date.js';
import {
  hasIndexRow,
  indexColumn,
  invalidValue,
  missingPredicate,
  unsupportedModifier,
} from './index-match.js';
import { numberCondition, parsePrefixedNumber } from './number.js';
import { quantityMatch } from './quantity.js';
import { tokenMatch } from './token.js';

/** Splits on unescaped `$`, keeping other escapes (`\|`) for the component parsers. */
function splitOnDollar(value: string): string[] {
  const parts = [''];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      parts[parts.length - 1] += value[i + 1] === '$' ? '$' : ch + value[i + 1];
      i++;
    } else if (ch === '$') parts.push('');
    else parts[parts.length - 1] += ch;
  }
  return parts;
}

/** Column `name` of component n (`code` → `c1_code`); a quantity's unit lives in `text`. */
function cellColumn(n: number): (name: string) => Expression {
  return (name) => indexColumn(`c${n}_${name === 'unit' ? 'text' : name}`);
}

/** One component's part of a value (`8480-6`, `gt100|http://unitsofmeasure.org|mm[Hg]`) on its columns. */
function componentMatch(filter: SearchFilter, type: SearchParamType, part: string, n: number): Expression {
  const col = cellColumn(n);
  switch (type) {
    case 'token':
      return tokenMatch(part, col);
    case 'quantity':
      return quantityMatch(filter, part, col);
    case 'number': {
      const { prefix, n: value } = parsePrefixedNumber(filter, part, part);
      return numberCondition(prefix, value, col('value'));
    }
    case 'date': {
      const [{ prefix, range }] = parseDateValues({ ...filter, values: [part] });
      return dateCondition(prefix, range, col('start'), col('end'));
    }
    case 'string':
      return like(col('text'), `${escapeLike(indexKey(normaliseString(unescapeValue(part))))}%`);
    case 'uri':
      return eq(col('text'), indexKey(unescapeValue(part)));
    case 'reference': {
      const slash = part.indexOf('/');
      return slash < 0
        ? eq(col('code'), part)
        : and(eq(col('system'), part.slice(0, slash)), eq(col('code'), part.slice(slash + 1)));
    }
    default:
      throw badRequest(
        `Composite parameter '${filterName(filter)}' has a ${type} component, which is not supported`,
      );
  }
}

/**
 * Composite search against idx_composite: each value is `first$second` (`8480-6$gt100`), or
 * `first$second$third` for the MolecularSequence coordinates (`1$ge100$le200`), each part read as
 * its component's type, all matched on the same row, that is the same element. `:missing` too.
 */
export const compositePredicate: PredicateBuilder = (ctx, filter) => {
  if (filter.modifier === 'missing') return missingPredicate('idx_composite', ctx, filter);
  if (filter.modifier !== undefined) return unsupportedModifier(filter, 'composite');
  const types = compositeComponentTypes(ctx.resourceType, filter.code);
  if (types === undefined || types.length < 2 || types.length > 3) {
    throw badRequest(
      `Composite parameter '${filter.code}' of ${ctx.resourceType} has ${types?.length ?? 'unknown'} components; two or three are supported`,
    );
  }
  const expected =
    types.length === 2
      ? `two values joined by '$', e.g. code$value`
      : `three values joined by '$', e.g. chromosome$start$end`;
  const matches = filter.values.map((value) => {
    const parts = splitOnDollar(value);
    if (parts.length !== types.length || parts.some((p) => p === '')) {
      return invalidValue(filter, value, expected);
    }
    return and(...parts.map((part, i) => componentMatch(filter, types[i], part, i + 1)));
  });
  return hasIndexRow('idx_composite', ctx, filter.code, or(...matches));
};
