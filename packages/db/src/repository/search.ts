import type { Resource } from '@hospitium/fhir';
import type { Queryable } from '../engine/types.js';
import { buildSearch, DEFAULT_PAGE_SIZE, MATCHES_FIRST_LIMIT } from '../search/build-query.js';
import type { StoreContext } from './context.js';
import { inStatement } from './context.js';
import { assertResourceType } from './resource-meta.js';
import type { SearchRequest, SearchResult } from './types.js';

/**
 * Runs a search: one query for the page; a count query only when a total is asked for (it runs
 * first); a capped probe of the index first when one index filter is all there is.
 *
 * With `_total=accurate` the count runs first and decides the page's plan: none when nothing is
 * left to show; matches first when they are few; the planner's plan otherwise. Without a total, a
 * search with one index filter probes that index for up to MATCHES_FIRST_LIMIT + 1 rows instead.
 * Why: the planner cannot know how many rows a token matches (it multiplies the selectivities of
 * type, parameter, code and system) and, for `ORDER BY id LIMIT n`, may walk every resource of the
 * type probing each, which for a code that matches nothing reads them all (1.7 s at 1K patients).
 */
export async function search(ctx: StoreContext, request: SearchRequest): Promise<SearchResult> {
  assertResourceType(request.resourceType);
  const compiled = buildSearch(request, ctx.lookup);
  return inStatement(ctx, async (q) => {
    const countAll = () => countOf(q, compiled.count);
    if (!compiled.page) {
      const total = compiled.estimate ? await estimateRows(q, compiled.count) : await countAll();
      return { resources: [], total, hasMore: total > compiled.offset };
    }
    const counted = compiled.wantTotal && !compiled.estimate ? await countAll() : undefined;
    if (counted !== undefined && counted <= compiled.offset) {
      return { resources: [], total: counted, hasMore: false };
    }
    // Index rows bound the matches from above: none means no match. A caller expecting few
    // matches skips the probe and has them found first.
    const probed = compiled.probe && !request.fewMatches ? await countOf(q, compiled.probe) : undefined;
    if (probed === 0) {
      return compiled.offset === 0
        ? { resources: [], total: 0, hasMore: false }
        : { resources: [], hasMore: false };
    }
    const few = counted ?? probed ?? (request.fewMatches ? 0 : undefined);
    const query =
      few !== undefined && compiled.matchesFirstPage && few <= MATCHES_FIRST_LIMIT
        ? compiled.matchesFirstPage
        : compiled.page;
    const page = await q.query<{ content_text: string }>(query.sql, query.params);
    const hasMore = page.rows.length > compiled.pageSize;
    const rows = hasMore ? page.rows.slice(0, compiled.pageSize) : page.rows;
    const resources = rows.map((row) => JSON.parse(row.content_text) as Resource);
    let total: number | undefined = counted;
    if (compiled.estimate) total = await estimateRows(q, compiled.count);
    else if (total === undefined && !hasMore && (rows.length > 0 || compiled.offset === 0))
      total = compiled.offset + rows.length;
    return total === undefined ? { resources, hasMore } : { resources, total, hasMore };
  });
}

/**
 * Several searches expected to match few resources each (conditional targets), as ONE statement:
 * each request's matches-first page, its placeholders renumbered, joined by UNION ALL and tagged
 * with the request's position. Each part keeps its own ORDER BY and LIMIT inside its subquery.
 */
export async function searchFew(
  ctx: StoreContext,
  requests: readonly SearchRequest[],
): Promise<Resource[][]> {
  const out: Resource[][] = [];
  for (let start = 0; start < requests.length; start += SEARCH_FEW_PARTS) {
    out.push(...(await searchFewPart(ctx, requests.slice(start, start + SEARCH_FEW_PARTS))));
  }
  return out;
}

/**
 * At most this many searches go in one statement: a UNION of hundreds (an ORU with 800 results)
 * is too deep for the embedded engine's parser, and a hundred already make the round trip cheap.
 */
const SEARCH_FEW_PARTS = 100;
/** Unions of at most this many searches run as prepared statements (see searchFewPart). */
const PREPARED_PARTS = 16;

async function searchFewPart(ctx: StoreContext, requests: readonly SearchRequest[]): Promise<Resource[][]> {
  const out: Resource[][] = requests.map(() => []);
  const parts: string[] = [];
  const params: unknown[] = [];
  requests.forEach((request, i) => {
    assertResourceType(request.resourceType);
    const compiled = buildSearch({ ...request, total: 'none', fewMatches: true }, ctx.lookup);
    const query = compiled.matchesFirstPage ?? compiled.page;
    if (!query) return;
    const shift = params.length;
    const sql = query.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`);
    params.push(...query.params);
    parts.push(`SELECT ${i}::integer AS part, p${i}.content_text FROM (${sql}) p${i}`);
  });
  if (parts.length === 0) return out;
  const { rows } = await inStatement(ctx, (q) =>
    q.query<{ part: number; content_text: string }>(parts.join('\nUNION ALL\n'), params, {
      // A message's lookups have the same shape every time (an A01: its patient, visit, ward,
      // room, bed, attending): prepared, PostgreSQL plans them once per connection. Measured on
      // the HL7 bench (three paired runs, with the lock and message-row statements also
      // prepared): 6–8 % less CPU per message. Large unions stay unprepared.
      prepare: parts.length <= PREPARED_PARTS,
    }),
  );
  for (const row of rows) out[Number(row.part)]?.push(JSON.parse(row.content_text) as Resource);
  return out.map((found, i) => found.slice(0, requests[i]?.count ?? DEFAULT_PAGE_SIZE));
}

/** The `total` column of a count query's one row. */
async function countOf(q: Queryable, query: { sql: string; params: unknown[] }): Promise<number> {
  const { rows } = await q.query<{ total: number | string }>(query.sql, query.params);
  return Number(rows[0]?.total ?? 0);
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
