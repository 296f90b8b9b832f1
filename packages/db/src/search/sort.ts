import { badRequest, type SearchParamDef } from '@hospitium/fhir';
import {
  and,
  call,
  column,
  compare,
  type Expression,
  eq,
  type OrderTerm,
  select,
  subquery,
  type TableName,
} from './ast.js';
import { isTextParameter } from './params/text.js';
import type { PredicateContext } from './predicate.js';

/** The index table and column a sortable parameter type sorts by. */
const sortColumns: Partial<
  Record<SearchParamDef['type'], { table: TableName; ascending: string; descending: string }>
> = {
  date: { table: 'idx_date', ascending: 'start_at', descending: 'end_at' },
  string: { table: 'idx_string', ascending: 'value', descending: 'value' },
  token: { table: 'idx_token', ascending: 'code', descending: 'code' },
  number: { table: 'idx_number', ascending: 'value', descending: 'value' },
  quantity: { table: 'idx_quantity', ascending: 'value', descending: 'value' },
  uri: { table: 'idx_uri', ascending: 'value', descending: 'value' },
  reference: { table: 'idx_reference', ascending: 'url', descending: 'url' },
};

/**
 * One `_sort` key as ORDER BY terms. A parameter sorts by its smallest value ascending and its
 * largest descending (a resource may have several), read by a correlated subquery on the rid index;
 * resources without a value sort last. A reference sorts by its text (`Patient/123`).
 */
export function sortTerm(
  ctx: PredicateContext,
  key: { code: string; descending: boolean },
  def: SearchParamDef | undefined,
): OrderTerm {
  if (key.code === '_id') return { expression: column(ctx.alias, 'id'), descending: key.descending };
  if (key.code === '_lastUpdated')
    return { expression: column(ctx.alias, 'last_updated'), descending: key.descending };
  if (!def) throw badRequest(`Unknown sort parameter '${key.code}' for ${ctx.resourceType}`);
  // The full-text parameters (`_text`, `_content`) have no value to sort by.
  const spec = isTextParameter(def.code) ? undefined : sortColumns[def.type];
  if (!spec) {
    const why = isTextParameter(def.code)
      ? 'it has no value to sort by'
      : `${def.type} parameters are not sortable`;
    throw badRequest(`Cannot sort by '${key.code}': ${why}`);
  }
  const value = (name: string): Expression => column('s', name);
  const aggregate = key.descending ? call('max', value(spec.descending)) : call('min', value(spec.ascending));
  const values = select({ table: spec.table, alias: 's' }, [{ expression: aggregate, alias: 'v' }], {
    where: and(
      // rid is unique across types, so this also serves a system-wide (`_type`) search.
      compare(value('rid'), '=', column(ctx.alias, 'rid')),
      eq(value('param'), key.code),
    ),
  });
  return { expression: subquery(values), descending: key.descending };
}
