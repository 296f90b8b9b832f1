import { type CompositeCell, type IndexRows, normaliseString } from '@hospitium/fhir';
import { TEXT_SEARCH_CONFIG } from '../search/compile.js';
import { indexKey } from '../search/index-key.js';
import type { StatementParams } from './statement-params.js';

/**
 * The index piece: how each IndexRows array maps onto its table. Rows are written in bulk, one
 * `INSERT … SELECT FROM unnest(array, array, …)` per table per statement whatever the batch size.
 */
type RowOf<K extends keyof IndexRows> = NonNullable<IndexRows[K]>[number];

interface IndexTable<K extends keyof IndexRows> {
  table: string;
  /**
   * Value columns after (rid, resource_type), with the SQL array type each travels as and, when
   * the stored value is computed in SQL, the expression over the unnested value `u.<name>`.
   */
  columns: readonly {
    name: string;
    type: 'text' | 'numeric' | 'timestamptz' | 'float8';
    sql?: (value: string) => string;
  }[];
  values(row: RowOf<K>): unknown[];
  /** Rows the table cannot hold (a NaN number) are dropped rather than failing the write. */
  keep?(row: RowOf<K>): boolean;
}

const cellColumns = (n: 1 | 2 | 3) =>
  [
    { name: `c${n}_system`, type: 'text' },
    { name: `c${n}_code`, type: 'text' },
    { name: `c${n}_value`, type: 'numeric' },
    { name: `c${n}_start`, type: 'timestamptz' },
    { name: `c${n}_end`, type: 'timestamptz' },
    { name: `c${n}_text`, type: 'text' },
  ] as const;

const noCell: CompositeCell = { system: null, code: null, value: null, start: null, end: null, text: null };

const cellValues = (c: CompositeCell = noCell): unknown[] => [
  indexKey(c.system),
  indexKey(c.code),
  c.value !== null && Number.isFinite(c.value) ? c.value : null,
  c.start ?? (c.end !== null ? '-infinity' : null),
  c.end ?? (c.start !== null ? 'infinity' : null),
  indexKey(c.text),
];

const finite = (row: { value: number }): boolean => Number.isFinite(row.value);

/** `to_tsvector` in SQL: PostgreSQL's parser is the only one queries are parsed with. */
const toVector = (value: string): string => `to_tsvector('${TEXT_SEARCH_CONFIG}', ${value})`;

export const indexTables: { [K in keyof IndexRows]-?: IndexTable<K> } = {
  token: {
    table: 'idx_token',
    columns: [
      { name: 'param', type: 'text' },
      { name: 'system', type: 'text' },
      { name: 'code', type: 'text' },
      { name: 'text_value', type: 'text' },
    ],
    // text is stored normalised for `:text` (see params/token.ts).
    values: (r) => [
      r.param,
      indexKey(r.system),
      indexKey(r.code),
      r.text === null ? null : normaliseString(r.text),
    ],
  },
  string: {
    table: 'idx_string',
    columns: [
      { name: 'param', type: 'text' },
      { name: 'value', type: 'text' },
      { name: 'exact', type: 'text' },
    ],
    values: (r) => [r.param, indexKey(r.value), r.exact],
  },
  date: {
    table: 'idx_date',
    columns: [
      { name: 'param', type: 'text' },
      { name: 'start_at', type: 'timestamptz' },
      { name: 'end_at', type: 'timestamptz' },
    ],
    // Open bounds become ±infinity so every comparison stays a plain B-tree range.
    values: (r) => [r.param, r.start ?? '-infinity', r.end ?? 'infinity'],
  },
  reference: {
    table: 'idx_reference',
    columns: [
      { name: 'param', type: 'text' },
      { name: 'target_type', type: 'text' },
      { name: 'target_id', type: 'text' },
      { name: 'url', type: 'text' },
    ],
    values: (r) => [r.param, r.targetType, indexKey(r.targetId), indexKey(r.url)],
  },
  number: {
    table: 'idx_number',
    columns: [
      { name: 'param', type: 'text' },
      { name: 'value', type: 'numeric' },
    ],
    values: (r) => [r.param, r.value],
    keep: finite,
  },
  quantity: {
    table: 'idx_quantity',
    columns: [
      { name: 'param', type: 'text' },
      { name: 'value', type: 'numeric' },
      { name: 'system', type: 'text' },
      { name: 'code', type: 'text' },
      { name: 'unit', type: 'text' },
    ],
    values: (r) => [r.param, r.value, indexKey(r.system), indexKey(r.code), r.unit],
    keep: finite,
  },
  uri: {
    table: 'idx_uri',
    columns: [
      { name: 'param', type: 'text' },
      { name: 'value', type: 'text' },
    ],
    values: (r) => [r.param, indexKey(r.value)],
  },
  composite: {
    table: 'idx_composite',
    columns: [{ name: 'param', type: 'text' }, ...cellColumns(1), ...cellColumns(2), ...cellColumns(3)],
    values: (r) => [r.param, ...cellValues(r.c1), ...cellValues(r.c2), ...cellValues(r.c3)],
  },
  text: {
    table: 'idx_text',
    columns: [
      { name: 'narrative', type: 'text', sql: toVector },
      { name: 'content', type: 'text', sql: toVector },
    ],
    values: (r) => [r.narrative, r.content],
  },
  position: {
    table: 'idx_position',
    columns: [
      { name: 'param', type: 'text' },
      { name: 'latitude', type: 'float8' },
      { name: 'longitude', type: 'float8' },
    ],
    values: (r) => [r.param, r.latitude, r.longitude],
  },
};

export const indexKinds = Object.keys(indexTables) as (keyof IndexRows)[];

/** Index rows of one resource version, with the resource they belong to. */
export interface OwnedIndexRows {
  resourceType: string;
  id: string;
  rows: IndexRows;
}

/** Column-wise arrays of one table's rows over a batch: owner type, owner id, then value columns. */
function columnsOf<K extends keyof IndexRows>(
  kind: K,
  owners: readonly OwnedIndexRows[],
): unknown[][] | undefined {
  const spec = indexTables[kind] as IndexTable<K>;
  const types: string[] = [];
  const ids: string[] = [];
  const values: unknown[][] = spec.columns.map(() => []);
  for (const owner of owners) {
    for (const row of (owner.rows[kind] ?? []) as RowOf<K>[]) {
      if (spec.keep && !spec.keep(row)) continue;
      types.push(owner.resourceType);
      ids.push(owner.id);
      spec.values(row).forEach((v, i) => {
        values[i].push(v ?? null);
      });
    }
  }
  return types.length === 0 ? undefined : [types, ids, ...values];
}

/** Adds one table's column arrays as parameters; returns a `unnest(…) AS <alias>(…)` maker over them. */
function unnestSource<K extends keyof IndexRows>(kind: K, arrays: unknown[][], params: StatementParams) {
  const spec = indexTables[kind];
  const [types, ids, ...values] = arrays;
  const args = [
    params.add(types, 'text[]'),
    params.add(ids, 'text[]'),
    ...values.map((v, i) => params.add(v, `${spec.columns[i].type}[]`)),
  ].join(', ');
  const names = spec.columns.map((c) => c.name).join(', ');
  return (alias: string) => `unnest(${args}) AS ${alias}(owner_type, owner_id, ${names})`;
}

/** The stored value of each column computed from the unnested row `alias` (e.g. `to_tsvector(u.content)`). */
const storedValues = (kind: keyof IndexRows, alias: string): string[] =>
  indexTables[kind].columns.map((c) => (c.sql ? c.sql(`${alias}.${c.name}`) : `${alias}.${c.name}`));

/**
 * CTEs inserting the index rows of new resources, one per table that has rows: each row finds its
 * owner's rid by joining the freshly inserted resources (the CTE named `inserted`).
 */
export function indexInsertCtes(
  owners: readonly OwnedIndexRows[],
  params: StatementParams,
  inserted: string,
): string[] {
  const ctes: string[] = [];
  for (const kind of indexKinds) {
    const arrays = columnsOf(kind, owners);
    if (!arrays) continue;
    const spec = indexTables[kind];
    ctes.push(
      `i_${kind} AS (INSERT INTO ${spec.table} (rid, resource_type, ${spec.columns.map((c) => c.name).join(', ')}) ` +
        `SELECT n.rid, u.owner_type, ${storedValues(kind, 'u').join(', ')} FROM ${unnestSource(kind, arrays, params)('u')} ` +
        `JOIN ${inserted} n ON n.resource_type = u.owner_type AND n.id = u.owner_id)`,
    );
  }
  return ctes;
}

/**
 * CTEs bringing one resource's index rows to its new version's rows, when the CTE named
 * `updated` returns a row (the conditional update happened): rows the new version no longer has
 * are deleted, rows it adds are inserted, and rows both versions share stay as they are — an
 * update that changes one element rewrites one or two rows, not all of them, which spares the
 * B-tree and GIN inserts and the dead tuples. `owner` undefined (a delete marker) deletes every
 * row. Each table's new rows are computed once (`n_<kind>`, e.g. its tsvectors); all CTEs see
 * the statement's snapshot, so the NOT EXISTS of an insert looks at the old rows only. Lookups
 * use the constant `rid`, so each is an index scan on the table's rid index.
 */
export function indexReplaceCtes(
  owner: OwnedIndexRows | undefined,
  params: StatementParams,
  rid: string,
  updated: string,
): string[] {
  const ctes: string[] = [];
  const happened = `EXISTS (SELECT 1 FROM ${updated})`;
  for (const kind of indexKinds) {
    const spec = indexTables[kind];
    const arrays = owner ? columnsOf(kind, [owner]) : undefined;
    if (!arrays) {
      ctes.push(`d_${kind} AS (DELETE FROM ${spec.table} t WHERE t.rid = ${rid} AND ${happened})`);
      continue;
    }
    const names = spec.columns.map((c) => c.name);
    const same = names.map((c) => `t.${c} IS NOT DISTINCT FROM k.${c}`).join(' AND ');
    const stored = storedValues(kind, 'u').map((v, i) => `${v} AS ${names[i]}`);
    ctes.push(
      `n_${kind} AS (SELECT u.owner_type, ${stored.join(', ')} FROM ${unnestSource(kind, arrays, params)('u')})`,
      `d_${kind} AS (DELETE FROM ${spec.table} t WHERE t.rid = ${rid} AND ${happened} ` +
        `AND NOT EXISTS (SELECT 1 FROM n_${kind} k WHERE ${same}))`,
      `i_${kind} AS (INSERT INTO ${spec.table} (rid, resource_type, ${names.join(', ')}) ` +
        `SELECT ${rid}, k.owner_type, ${names.map((c) => `k.${c}`).join(', ')} FROM n_${kind} k WHERE ${happened} ` +
        `AND NOT EXISTS (SELECT 1 FROM ${spec.table} t WHERE t.rid = ${rid} AND ${same}))`,
    );
  }
  return ctes;
}
