import { and, call, column, countDistinct, type Expression, type SelectQuery, select } from './ast.js';
import { type CompiledQuery, compile } from './compile.js';

/**
 * The count query of a search. Index rows exist only for the current version of a resource that
 * is not deleted (a delete drops them, see `deleteResource`), and carry its type. So when the only
 * filter is one semi-join `r.rid IN (SELECT i.rid FROM idx_x i WHERE i.resource_type = $type …)`,
 * the number of matches is the number of distinct rids of those index rows: the count reads the
 * index table alone, without probing the resources table once per match (measured at 1,000
 * patients, 16,212 matches: 11 ms instead of 117 ms). Anything else counts over the resources.
 */
export function countQuery(
  from: { table: 'resources'; alias: string },
  resourceTypes: readonly string[],
  typeAndLive: readonly Expression[],
  filters: readonly Expression[],
): CompiledQuery {
  const only =
    filters.length === 1 && resourceTypes.length === 1
      ? indexSemiJoin(filters[0], from.alias, resourceTypes[0])
      : undefined;
  if (only) {
    const rid = column(only.from.alias, 'rid');
    return compile(
      select(only.from, [{ expression: countDistinct(rid), alias: 'total' }], {
        ...(only.where ? { where: only.where } : {}),
      }),
    );
  }
  const where = and(...typeAndLive, ...filters);
  return compile(select(from, [{ expression: call('count'), alias: 'total' }], { where }));
}

/**
 * How many index rows (at most `cap` + 1) a search's one index filter has: an upper bound of its
 * matches, read from the filter's own B-tree and stopped early. Undefined for any other search.
 * Lets the repository choose the page's plan without a total (see `search` in the repository).
 */
export function matchProbe(
  alias: string,
  resourceTypes: readonly string[],
  filters: readonly Expression[],
  cap: number,
): CompiledQuery | undefined {
  const only =
    filters.length === 1 && resourceTypes.length === 1
      ? indexSemiJoin(filters[0], alias, resourceTypes[0])
      : undefined;
  if (!only) return undefined;
  const rows = compile(
    select(only.from, [{ expression: column(only.from.alias, 'rid'), alias: 'rid' }], {
      ...(only.where ? { where: only.where } : {}),
      limit: cap + 1,
    }),
  );
  return { sql: `SELECT count(*) AS total FROM (${rows.sql}) probe`, params: rows.params };
}

/** The subquery of `alias.rid IN (SELECT x.rid FROM idx_… x WHERE x.resource_type = …)`, if that is the shape. */
function indexSemiJoin(filter: Expression, alias: string, resourceType: string): SelectQuery | undefined {
  if (filter.kind !== 'in') return undefined;
  const { left, query } = filter;
  if (left.kind !== 'column' || left.table !== alias || left.name !== 'rid') return undefined;
  if (!query.from.table.startsWith('idx_') || query.limit !== undefined || query.offset !== undefined)
    return undefined;
  const selected = query.columns[0]?.expression;
  if (query.columns.length !== 1 || selected?.kind !== 'column' || selected.name !== 'rid') return undefined;
  if (selected.table !== query.from.alias) return undefined;
  return filtersOnType(query.where, query.from.alias, resourceType) ? query : undefined;
}

/** The index rows are restricted to the searched type: `x.resource_type = $` among the ANDed conditions. */
function filtersOnType(where: Expression | undefined, alias: string, resourceType: string): boolean {
  if (!where) return false;
  const operands = where.kind === 'and' ? where.operands : [where];
  return operands.some(
    (o) =>
      o.kind === 'compare' &&
      o.op === '=' &&
      o.left.kind === 'column' &&
      o.left.table === alias &&
      o.left.name === 'resource_type' &&
      o.right.kind === 'param' &&
      o.right.value === resourceType,
  );
}
