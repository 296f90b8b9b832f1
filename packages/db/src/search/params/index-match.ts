import { badRequest } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import {
  and,
  anyOf,
  column,
  compare,
  type Expression,
  eq,
  exists,
  inSubquery,
  not,
  type SelectQuery,
  select,
  type TableName,
} from '../ast.js';
import { filterName, type PredicateContext } from '../predicate.js';

/** Alias of the index table inside its subquery. */
export const INDEX_ALIAS = 'i';

/** A column of the index table in the subquery. */
export const indexColumn = (name: string): Expression => column(INDEX_ALIAS, name);

function indexRows(table: TableName, conditions: Expression[]): SelectQuery {
  return select({ table, alias: INDEX_ALIAS }, [{ expression: indexColumn('rid'), alias: 'rid' }], {
    where: and(...conditions),
  });
}

function ofParam(ctx: PredicateContext, param: string): Expression[] {
  const type = ctx.resourceTypes
    ? anyOf(indexColumn('resource_type'), ctx.resourceTypes)
    : eq(indexColumn('resource_type'), ctx.resourceType);
  return [type, eq(indexColumn('param'), param)];
}

/**
 * The resource has an index row of `param` satisfying `match`:
 * `r.rid IN (SELECT i.rid FROM idx_x i WHERE i.resource_type = $ AND i.param = $ AND match)`,
 * which the planner runs as a semi-join driven by the (resource_type, param, …) B-tree.
 */
export function hasIndexRow(
  table: TableName,
  ctx: PredicateContext,
  param: string,
  match?: Expression,
): Expression {
  const conditions = [...ofParam(ctx, param), ...(match ? [match] : [])];
  return inSubquery(column(ctx.alias, 'rid'), indexRows(table, conditions));
}

/** The resource has no index row of `param` satisfying `match` (an anti-join on the rid index). */
export function hasNoIndexRow(
  table: TableName,
  ctx: PredicateContext,
  param: string,
  match?: Expression,
): Expression {
  const conditions = [
    compare(indexColumn('rid'), '=', column(ctx.alias, 'rid')),
    ...ofParam(ctx, param),
    ...(match ? [match] : []),
  ];
  return not(exists(indexRows(table, conditions)));
}

/** `param:missing=true|false`: no index row at all, or at least one. */
export function missingPredicate(table: TableName, ctx: PredicateContext, filter: SearchFilter): Expression {
  const value = filter.values.length === 1 ? filter.values[0] : undefined;
  if (value !== 'true' && value !== 'false') {
    throw badRequest(`Search parameter '${filterName(filter)}' takes true or false`);
  }
  return value === 'true' ? hasNoIndexRow(table, ctx, filter.code) : hasIndexRow(table, ctx, filter.code);
}

/** 400 for a modifier the parameter type does not support. */
export function unsupportedModifier(filter: SearchFilter, type: string): never {
  throw badRequest(
    `Modifier ':${filter.modifier}' is not supported on ${type} search parameter '${filter.code}'`,
  );
}

/** 400 for a value the parameter type cannot read. */
export function invalidValue(filter: SearchFilter, value: string, expected: string): never {
  throw badRequest(
    `Invalid value '${value}' for search parameter '${filterName(filter)}': expected ${expected}`,
  );
}
