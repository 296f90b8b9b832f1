import type { Resource } from '@hospitium/fhir';
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
      const total = await countAll();
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
    if (compiled.wantTotal) total = page.rows[0]?.total ?? (compiled.offset > 0 ? await countAll() : 0);
    else if (!hasMore && (rows.length > 0 || compiled.offset === 0)) total = compiled.offset + rows.length;
    return total === undefined ? { resources, hasMore } : { resources, total, hasMore };
  });
}
