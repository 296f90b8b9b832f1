import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import type { Repository } from '../../repository/types.js';
import { type GeneratedQuery, queryLabel } from './generate/queries.js';
import type { InMemorySearch } from './in-memory-search.js';

/** What the SQL engine answered: the ids, or the message of a rejection. */
export type SqlOutcome = { ids: Set<string> } | { rejected: string };

export function sameIds(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

/** Runs a query through `repository.search`, every page, and collects the ids (or the 4xx). */
export async function runSql(repository: Repository, q: GeneratedQuery): Promise<SqlOutcome> {
  const ids = new Set<string>();
  try {
    for (let offset = 0; ; offset += 1000) {
      const page = await repository.search({
        resourceType: q.resourceType,
        filters: q.filters,
        count: 1000,
        offset,
      });
      for (const r of page.resources) ids.add(r.id ?? '');
      if (!page.hasMore) return { ids };
    }
  } catch (err) {
    if (isOperationOutcomeError(err)) return { rejected: `${err.status} ${err.message}` };
    throw err;
  }
}

/**
 * A mismatch as a reader needs it: the query, the ids only one side found, and what the
 * filters' expressions yield on the first offending resource.
 */
export function describeMismatch(
  store: InMemorySearch,
  q: GeneratedQuery,
  expected: ReadonlySet<string>,
  sql: SqlOutcome,
): string {
  if ('rejected' in sql) return `${queryLabel(q)}\n  rejected: ${sql.rejected}`;
  const missing = [...expected].filter((id) => !sql.ids.has(id));
  const extra = [...sql.ids].filter((id) => !expected.has(id));
  const id = missing[0] ?? extra[0];
  const resource = store.resources(q.resourceType).find((r: Resource) => r.id === id);
  const elements = resource
    ? q.filters.map((f) => {
        const items =
          f.code === '_list' ? [...store.listItems(f.values[0] ?? '')] : store.itemsOf(resource, f.code);
        return `    ${f.code}: ${JSON.stringify(items).slice(0, 600)}`;
      })
    : [];
  return [
    queryLabel(q),
    `  missing (found in memory, not by SQL): ${missing.length} ${missing.slice(0, 5).join(' ')}`,
    `  extra (found by SQL, not in memory): ${extra.length} ${extra.slice(0, 5).join(' ')}`,
    `  ${q.resourceType}/${id} evaluates to:`,
    ...elements,
  ].join('\n');
}

/** Queries and non-empty results per parameter type and modifier, e.g. `token:not 40/31`. */
export class Coverage {
  private readonly rows = new Map<string, { queries: number; nonEmpty: number }>();

  add(store: InMemorySearch, q: GeneratedQuery, nonEmpty: boolean): void {
    for (const f of q.filters) {
      const type = f.code === '_list' ? '_list' : store.definition(q.resourceType, f.code).type;
      const key = `${f.code === '_id' || f.code === '_lastUpdated' ? f.code : type}${f.modifier ? `:${/^[A-Z]/.test(f.modifier) ? '[Type]' : f.modifier}` : ''}`;
      const row = this.rows.get(key) ?? { queries: 0, nonEmpty: 0 };
      row.queries++;
      if (nonEmpty) row.nonEmpty++;
      this.rows.set(key, row);
    }
  }

  toString(): string {
    return [...this.rows.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, r]) => `${key} ${r.nonEmpty}/${r.queries}`)
      .join(', ');
  }
}
