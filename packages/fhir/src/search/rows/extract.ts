import type { Resource } from '../../types.js';
import type { Evaluator, ValueSink } from '../expression/typed-value.js';
import { resourceTypes } from '../model/r4-model.js';
import { registeredParams } from '../registry/registry.js';
import type { IndexRows, SearchParamType } from '../types.js';
import { compositeRows } from './composite.js';
import { dateRows } from './date.js';
import { numberRows } from './number.js';
import { quantityRows } from './quantity.js';
import { referenceRows } from './reference.js';
import { stringRows } from './string.js';
import { referenceIdentifierRows, tokenRows } from './token.js';
import { uriRows } from './uri.js';

/**
 * Parameters that get no index rows: `_id` and `_lastUpdated` are columns of the resource
 * table; the others have no expression or are evaluated at query time.
 */
const NOT_INDEXED: ReadonlySet<string> = new Set([
  '_id',
  '_lastUpdated',
  '_text',
  '_content',
  '_list',
  '_has',
  '_query',
  '_filter',
]);

type IndexedType = Exclude<SearchParamType, 'composite' | 'special'>;

/** Builds the rows of one value; pushes nothing for a value of a type it does not index. */
type RowBuilder = (param: string, value: unknown, type: string, rows: IndexRows) => void;

const BUILDERS: Record<IndexedType, RowBuilder> = {
  token: (p, v, t, r) => tokenRows(p, v, t, r.token),
  string: (p, v, t, r) => stringRows(p, v, t, r.string),
  date: (p, v, t, r) => dateRows(p, v, t, r.date),
  reference: (p, v, t, r) => {
    referenceRows(p, v, t, r.reference);
    referenceIdentifierRows(p, v, t, r.token);
  },
  number: (p, v, t, r) => numberRows(p, v, t, r.number),
  quantity: (p, v, t, r) => quantityRows(p, v, t, r.quantity),
  uri: (p, v, t, r) => uriRows(p, v, t, r.uri),
};

/** Identity of a row within one parameter, to drop duplicates (two names with the same family). */
const ROW_KEYS: { [K in IndexedType]: (row: IndexRows[K][number]) => string } = {
  token: (r) => `${r.system}\u0000${r.code}\u0000${r.text}`,
  string: (r) => r.exact,
  date: (r) => `${r.start}\u0000${r.end}`,
  reference: (r) => r.url,
  number: (r) => String(r.value),
  quantity: (r) => `${r.value}\u0000${r.system}\u0000${r.code}\u0000${r.unit}`,
  uri: (r) => r.value,
};

interface IndexPlanEntry {
  code: string;
  type: IndexedType;
  evaluate: Evaluator;
}

const plans = new Map<string, IndexPlanEntry[]>();

function isIndexedType(type: SearchParamType): type is IndexedType {
  return type !== 'composite' && type !== 'special';
}

/** What to evaluate for a type, built (and its expressions compiled) on the first resource of the type. */
function planFor(resourceType: string): IndexPlanEntry[] {
  let plan = plans.get(resourceType);
  if (plan) return plan;
  if (!resourceTypes.has(resourceType)) return [];
  plan = [];
  for (const param of registeredParams(resourceType).values()) {
    const { def } = param;
    if (NOT_INDEXED.has(def.code) || !isIndexedType(def.type)) continue;
    let evaluate: Evaluator | undefined;
    try {
      evaluate = param.compiled?.evaluate;
    } catch {
      // An expression fhirpath cannot compile is a definitions problem (the registry tests compile
      // them all); indexing the other parameters matters more than failing the write.
    }
    if (evaluate) plan.push({ code: def.code, type: def.type, evaluate });
  }
  plans.set(resourceType, plan);
  return plan;
}

function dedupeFrom<T>(rows: T[], from: number, key: (row: T) => string): void {
  if (rows.length - from < 2) return;
  const seen = new Set<string>();
  let w = from;
  for (let r = from; r < rows.length; r++) {
    const k = key(rows[r]);
    if (seen.has(k)) continue;
    seen.add(k);
    rows[w++] = rows[r];
  }
  rows.length = w;
}

/** Index rows with every table empty. */
export function emptyIndexRows(): IndexRows {
  return { token: [], string: [], date: [], reference: [], number: [], quantity: [], uri: [] };
}

/**
 * Computes the search-index rows of a resource: for every search parameter of its type (except
 * `_id`/`_lastUpdated` and the no-expression specials), the values its expression
 * selects, turned into rows of the parameter's type; composites as tuples (`composite.ts`). Never throws: a parameter whose
 * evaluation fails on odd data is skipped, and values of an unexpected shape give no row.
 */
export function extractIndexes(resource: Resource): IndexRows {
  const rows = emptyIndexRows();
  if (typeof resource !== 'object' || resource === null || typeof resource.resourceType !== 'string')
    return rows;
  let code = '';
  let build: RowBuilder = BUILDERS.token;
  const sink: ValueSink = (value, type) => {
    try {
      build(code, value, type, rows);
    } catch {
      // A value the builder cannot read is skipped; the rest of the resource is still indexed.
    }
  };
  for (const entry of planFor(resource.resourceType)) {
    code = entry.code;
    build = BUILDERS[entry.type];
    const table = rows[entry.type] as unknown[];
    const before = table.length;
    try {
      entry.evaluate(resource, sink);
    } catch {
      table.length = before;
      continue;
    }
    dedupeFrom(table, before, ROW_KEYS[entry.type] as (row: unknown) => string);
  }
  const composite = compositeRows(resource);
  if (composite.length > 0) rows.composite = composite;
  return rows;
}
