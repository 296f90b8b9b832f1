import { badRequest } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { column, type Expression, eq, literal, or } from '../ast.js';
import type { PredicateBuilder } from '../predicate.js';
import { filterName } from '../predicate.js';
import { dateCondition, parseDateValues } from './date.js';
import { invalidValue, unsupportedModifier } from './index-match.js';

/** `_id:missing` / `_lastUpdated:missing`: every stored resource has both, so true matches nothing. */
function alwaysPresent(filter: SearchFilter): Expression {
  const value = filter.values.length === 1 ? filter.values[0] : undefined;
  if (value !== 'true' && value !== 'false') {
    throw badRequest(`Search parameter '${filterName(filter)}' takes true or false`);
  }
  return literal(value === 'false');
}

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** `_id`: the logical id, on the resources table's unique (resource_type, id) key. */
export const idPredicate: PredicateBuilder = (ctx, filter) => {
  if (filter.modifier === 'missing') return alwaysPresent(filter);
  if (filter.modifier !== undefined) return unsupportedModifier(filter, 'token');
  return or(
    ...filter.values.map((value) => {
      if (!idPattern.test(value)) return invalidValue(filter, value, 'a resource id ([A-Za-z0-9-.]{1,64})');
      return eq(column(ctx.alias, 'id'), value);
    }),
  );
};

/** `_lastUpdated`: the version's instant (a point: start = end), with date prefixes and precision. */
export const lastUpdatedPredicate: PredicateBuilder = (ctx, filter) => {
  if (filter.modifier === 'missing') return alwaysPresent(filter);
  if (filter.modifier !== undefined) return unsupportedModifier(filter, 'date');
  const lastUpdated = column(ctx.alias, 'last_updated');
  return or(
    ...parseDateValues(filter).map(({ prefix, range }) =>
      dateCondition(prefix, range, lastUpdated, lastUpdated),
    ),
  );
};
