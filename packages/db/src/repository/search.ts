import type { Resource } from '@hospitium/fhir';
import type { Queryable } from '../engine/types.js';
import { buildSearch } from '../search/build-query.js';
import type { StoreContext } from './context.js';
import { inStatement } from './context.js';
import { assertResourceType } from './resource-meta.js';
import type { SearchRequest, SearchResult } from './types.js';

/**
 * Runs a search: one query per page (resources and, when asked, the total as a window count).
 * A count query runs only for `_count=0`, or when an asked-for total fell off an empty page.
 */
export async function search(ctx: StoreContext, request: SearchRequest): Promise<SearchResult> {
  assertResourceType(request.resourceType);
  const compiled = buildSearch(request, ctx.lookup);
  return inStatement(ctx, async (q) => {
    const countAll = async () =>
      (await q.query<{ total: number }>(compiled.count.sql, compiled.count.params)).rows[0]?.total ?? 0;
    if (!compiled.page) {
      const total = compiled.estimate ? await estimateRows(q, compiled.count) : await countAll();
      return { resources: [], total, hasMore: total > compiled.offset };
    }
    const page = await q.query<{ content_text: string; total?: number }>(
      compiled.page.sql,
      compiled.page.params,
    );
    const hasMore = page.rows.length > compiled.pageSize;
    const rows = hasMore ? page.rows.slice(0, compiled.pageSize) : page.rows;
    const resources = rows.map((row) => JSON.parse(row.content_text) as Resource);
    let total: number | undefined;
    if (compiled.estimate) total = await estimateRows(q, compiled.count);
    else if (compiled.wantTotal) total = page.rows[0]?.total ?? (compiled.offset > 0 ? await countAll() : 0);
    else if (!hasMore && (rows.length > 0 || compiled.offset === 0)) total = compiled.offset + rows.length;
    return total === undefined ? { resources, hasMore } : { resources, total, hasMore };
  });
}

/**
 * `_total=estimate`: the planner's row estimate for the count query's input, read from
 * `EXPLAIN (FORMAT JSON)` without running it (cheap at any size; as good as the statistics).
 */
async function estimateRows(q: Queryable, count: { sql: string; params: unknown[] }): Promise<number> {
  const { rows } = await q.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (FORMAT JSON) ${count.sql}`,
    count.params,
  );
  const raw = rows[0]?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: PlanNode }[];
  let node = plan[0]?.Plan;
  // The aggregate's own estimate is 1 row; its input's is the number of matches.
  while (node && node['Node Type'] === 'Aggregate' && node.Plans?.[0]) node = node.Plans[0];
  return Math.max(0, Math.round(node?.['Plan Rows'] ?? 0));
}

interface PlanNode {
  'Node Type'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}
