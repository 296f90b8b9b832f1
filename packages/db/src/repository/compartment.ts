import { badRequest, type Resource } from '@hospitium/fhir';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../search/build-query.js';
import type { StoreContext } from './context.js';
import { inStatement } from './context.js';
import { assertId, assertResourceType } from './resource-meta.js';
import type { CompartmentRequest, SearchResult } from './types.js';

/**
 * One page of everything in a compartment (`Patient/1/$everything`): the owner itself, then every
 * resource that points at it through one of the given (type, reference parameter) links, of any
 * type, in one statement. The rids come from one index probe per link (a UNION, not an OR, so
 * the planner joins them to `resources` by primary key instead of filtering every row). Sorted by
 * (owner first, type, id) — unique, so pages stay stable while other resources are added — with
 * the accurate total as a window count.
 *
 * Without an owner id it is every compartment of that type at once (type-level
 * `Patient/$everything`): every owner, and every resource that points at any owner of the type
 * through a link (once, however many owners it names), the owners first.
 */
export async function searchCompartment(
  ctx: StoreContext,
  request: CompartmentRequest,
): Promise<SearchResult> {
  const { compartment } = request;
  assertResourceType(compartment.resourceType);
  if (compartment.id !== undefined) assertId(compartment.id);
  const everyOwner = compartment.id === undefined;
  const count = Math.min(request.count ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const offset = request.offset ?? 0;
  if (!Number.isInteger(count) || count < 1)
    throw badRequest(`_count must be a whole number ≥ 1, not ${count}`);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest(`_offset must be a whole number ≥ 0`);

  const params: unknown[] = [
    compartment.resourceType,
    compartment.id ?? '',
    request.links.map((l) => l.resourceType),
    request.links.map((l) => l.param),
  ];
  const add = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions = ['r.deleted = false'];
  if (request.types) conditions.push(`r.resource_type = ANY(${add(request.types)}::text[])`);
  if (request.since) conditions.push(`r.last_updated > ${add(request.since)}::timestamptz`);
  const owner = everyOwner ? '$2 = $2' : 'o.id = $2';
  const target = everyOwner ? '' : ' AND i.target_id = $2';
  const ownerFirst = everyOwner ? 'r.resource_type = $1' : '(r.resource_type = $1 AND r.id = $2)';
  const sql = `SELECT r.content_text, count(*) OVER () AS total FROM resources r
WHERE ${conditions.join(' AND ')} AND r.rid IN (
  SELECT o.rid FROM resources o WHERE o.resource_type = $1 AND ${owner}
  UNION ALL
  SELECT i.rid FROM unnest($3::text[], $4::text[]) AS l(resource_type, param)
  JOIN idx_reference i ON i.resource_type = l.resource_type AND i.param = l.param${target}
   AND i.target_type = $1
)
ORDER BY ${ownerFirst} DESC, r.resource_type, r.id
LIMIT ${add(count + 1)}::integer OFFSET ${add(offset)}::integer`;
  const rows = await inStatement(
    ctx,
    async (q) => (await q.query<{ content_text: string; total: number }>(sql, params)).rows,
  );
  const hasMore = rows.length > count;
  const page = hasMore ? rows.slice(0, count) : rows;
  const resources = page.map((row) => JSON.parse(row.content_text) as Resource);
  const total = rows[0]?.total ?? (offset === 0 ? 0 : undefined);
  return total === undefined ? { resources, hasMore } : { resources, total, hasMore };
}
