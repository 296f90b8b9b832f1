import { getSearchParameters, type Resource, resourceTypeNames } from '@hospitium/fhir';
import type { Queryable } from '../engine/types.js';
import type { StoreContext } from './context.js';
import { inStatement } from './context.js';
import type { IncludeParam, IncludeRequest, IncludeResult } from './types.js';

/** Iterations of `:iterate` after the first level; FHIR lets a server bound the recursion. */
export const MAX_INCLUDE_LEVELS = 4;
/** Included resources per page; past this the result says `truncated`. */
export const MAX_INCLUDED = 1000;

const ANY = '*';

interface Key {
  resourceType: string;
  id: string;
}

const keyOf = (r: Key): string => `${r.resourceType}/${r.id}`;

/**
 * Resolves `_include` and `_revinclude` for one page of matches. Each level is one statement:
 * forward includes join the sources' idx_reference rows (by rid) to their targets, reverse
 * includes look the sources up as targets in idx_reference (by the (type, param, target) index);
 * both read the resources in the same statement. Level 1 applies every parameter to the
 * matches; each further level applies the `:iterate` ones to what the previous level added,
 * until nothing new arrives or MAX_INCLUDE_LEVELS. Matches and duplicates are never returned.
 */
export async function includeResources(
  ctx: StoreContext,
  matches: readonly Key[],
  request: IncludeRequest,
): Promise<IncludeResult> {
  const seen = new Set(matches.map(keyOf));
  const included: Resource[] = [];
  const maxIncluded = request.maxIncluded ?? MAX_INCLUDED;
  let sources: Key[] = [...matches];
  let include = request.include ?? [];
  let revinclude = request.revinclude ?? [];
  for (let level = 0; level <= MAX_INCLUDE_LEVELS && sources.length > 0; level++) {
    if (level > 0) {
      include = include.filter((p) => p.iterate);
      revinclude = revinclude.filter((p) => p.iterate);
    }
    if (include.length === 0 && revinclude.length === 0) break;
    const room = maxIncluded - included.length;
    const rows = await inStatement(ctx, (q) => includeLevel(q, sources, include, revinclude, room + 1));
    const added: Key[] = [];
    for (const row of rows) {
      const key = `${row.resource_type}/${row.id}`;
      if (seen.has(key)) continue;
      if (included.length >= maxIncluded) return { resources: included, truncated: true };
      seen.add(key);
      included.push(JSON.parse(row.content_text) as Resource);
      added.push({ resourceType: row.resource_type, id: row.id });
    }
    sources = added;
  }
  return { resources: included, truncated: false };
}

interface IncludedRow {
  resource_type: string;
  id: string;
  content_text: string;
}

/** One level: the forward and reverse branches' rids, then each resource they reach, once. */
async function includeLevel(
  q: Queryable,
  sources: readonly Key[],
  include: readonly IncludeParam[],
  revinclude: readonly IncludeParam[],
  limit: number,
): Promise<IncludedRow[]> {
  const params: unknown[] = [sources.map((s) => s.resourceType), sources.map((s) => s.id)];
  const add = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const branches: string[] = [];
  if (include.length > 0) {
    const sourceTypes = add(include.map((p) => p.resourceType));
    const codes = add(include.map((p) => p.param));
    const targets = add(include.map((p) => p.targetType ?? ANY));
    branches.push(`SELECT t.rid
FROM unnest($1::text[], $2::text[]) AS src(resource_type, id)
JOIN resources s ON s.resource_type = src.resource_type AND s.id = src.id
JOIN idx_reference i ON i.rid = s.rid
JOIN unnest(${sourceTypes}::text[], ${codes}::text[], ${targets}::text[]) AS spec(source_type, param, target_type)
  ON (spec.source_type = '*' OR spec.source_type = s.resource_type)
 AND (spec.param = '*' OR spec.param = i.param)
 AND (spec.target_type = '*' OR spec.target_type = i.target_type)
JOIN resources t ON t.resource_type = i.target_type AND t.id = i.target_id`);
  }
  const reverse = expandReverse(revinclude, sources);
  if (reverse.length > 0) {
    const types = add(reverse.map((p) => p.resourceType));
    const codes = add(reverse.map((p) => p.param));
    const targets = add(reverse.map((p) => p.targetType ?? ANY));
    branches.push(`SELECT i.rid
FROM unnest(${types}::text[], ${codes}::text[], ${targets}::text[]) AS spec(resource_type, param, target_type)
JOIN unnest($1::text[], $2::text[]) AS tgt(resource_type, id)
  ON spec.target_type = '*' OR spec.target_type = tgt.resource_type
JOIN idx_reference i ON i.resource_type = spec.resource_type AND i.param = spec.param
 AND i.target_id = tgt.id AND i.target_type = tgt.resource_type`);
  }
  if (branches.length === 0) return [];
  // The branches yield rids; the semi-join reads each resource once however many references lead to it.
  const sql = `SELECT r.resource_type, r.id, r.content_text FROM resources r
WHERE r.deleted = false AND r.rid IN (
${branches.join('\nUNION ALL\n')}
)
ORDER BY r.resource_type, r.id
LIMIT ${add(limit)}::integer`;
  return (await q.query<IncludedRow>(sql, params)).rows;
}

let referenceParams: { resourceType: string; param: string; targets: readonly string[] }[] | undefined;

/** Every reference SearchParameter of every resource type (for `_revinclude=*`). */
function allReferenceParams(): { resourceType: string; param: string; targets: readonly string[] }[] {
  referenceParams ??= resourceTypeNames().flatMap((resourceType) =>
    getSearchParameters(resourceType)
      .filter((def) => def.type === 'reference')
      .map((def) => ({ resourceType, param: def.code, targets: def.target })),
  );
  return referenceParams;
}

/**
 * Reverse includes with `*` (any type, any parameter) turned into the concrete (type, param)
 * pairs that can point at the sources' types, so every lookup uses the idx_reference target index.
 */
function expandReverse(revinclude: readonly IncludeParam[], sources: readonly Key[]): IncludeParam[] {
  const out: IncludeParam[] = [];
  const sourceTypes = new Set(sources.map((s) => s.resourceType));
  for (const p of revinclude) {
    if (p.resourceType !== ANY && p.param !== ANY) {
      out.push(p);
      continue;
    }
    for (const ref of allReferenceParams()) {
      if (p.resourceType !== ANY && ref.resourceType !== p.resourceType) continue;
      // One spec per source type the parameter can point at, so the statement pairs each
      // target only with the parameters that can reach it before probing the index.
      for (const type of sourceTypes) {
        if (p.targetType !== undefined && type !== p.targetType) continue;
        if (ref.targets.length > 0 && !ref.targets.includes(type)) continue;
        out.push({ resourceType: ref.resourceType, param: ref.param, targetType: type });
      }
    }
  }
  return out;
}
