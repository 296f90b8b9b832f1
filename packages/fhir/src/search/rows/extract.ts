import type { Resource } from '../../types.js';
import type { Evaluator, ValueSink } from '../expression/typed-value.js';
import { resourceTypes } from '../model/r4-model.js';
import { registeredParams } from '../registry/registry.js';
import type { IndexRows, PositionIndexRow, SearchParamType } from '../types.js';
import { compositeRows } from './composite.js';
import { dateRows } from './date.js';
import { numberRows } from './number.js';
import { positionRows } from './position.js';
import { quantityRows } from './quantity.js';
import { referenceRows } from './reference.js';
import { stringRows } from './string.js';
import { textRow } from './text.js';
import { referenceIdentifierRows, tokenRows } from './token.js';
import { uriRows } from './uri.js';

/**
 * Parameters that get no rows of their declared type: `_id` and `_lastUpdated` are columns of
 * the resource table; `_text` and `_content` are the one full-text row (`text.ts`); the others
 * have no expression or are evaluated at query time.
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

interface TypePlan {
  entries: IndexPlanEntry[];
  /** `special` parameters with an expression selecting a position (Location `near`). */
  positions: { code: string; evaluate: Evaluator }[];
}

const plans = new Map<string, TypePlan>();

function isIndexedType(type: SearchParamType): type is IndexedType {
  return type !== 'composite' && type !== 'special';
}

/** What to evaluate for a type, built (and its expressions compiled) on the first resource of the type. */
function planFor(resourceType: string): TypePlan {
  let plan = plans.get(resourceType);
  if (plan) return plan;
  plan = { entries: [], positions: [] };
  if (!resourceTypes.has(resourceType)) return plan;
  for (const param of registeredParams(resourceType).values()) {
    const { def } = param;
    if (NOT_INDEXED.has(def.code) || def.type === 'composite') continue;
    let evaluate: Evaluator | undefined;
    try {
      evaluate = param.compiled?.evaluate;
    } catch {
      // An expression fhirpath cannot compile is a definitions problem (the registry tests compile
      // them all); indexing the other parameters matters more than failing the write.
    }
    if (!evaluate) continue;
    if (isIndexedType(def.type)) plan.entries.push({ code: def.code, type: def.type, evaluate });
    else plan.positions.push({ code: def.code, evaluate });
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
  const plan = planFor(resource.resourceType);
  for (const entry of plan.entries) {
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
  if (plan.entries.length > 0) {
    // Full text for every known type (`_content` applies to all), not for unknown shapes.
    const text = textRow(resource);
    if (text) rows.text = [text];
  }
  const positions: PositionIndexRow[] = [];
  for (const { code: param, evaluate } of plan.positions) {
    try {
      evaluate(resource, (value) => positionRows(param, value, positions));
    } catch {
      // Odd data gives no position; the rest of the resource is still indexed.
    }
  }
  if (positions.length > 0) rows.position = positions;
  return rows;
}
