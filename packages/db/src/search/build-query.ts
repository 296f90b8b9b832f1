import { badRequest, getSearchParameter, type SearchParamDef, type SearchParamType } from '@hospitium/fhir';
import type { SearchFilter, SearchRequest } from '../repository/types.js';
import { and, call, column, countOver, type Expression, eq, type OrderTerm, select } from './ast.js';
import { type CompiledQuery, compile } from './compile.js';
import { datePredicate } from './params/date.js';
import { numberPredicate } from './params/number.js';
import { quantityPredicate } from './params/quantity.js';
import { referencePredicate } from './params/reference.js';
import { idPredicate, lastUpdatedPredicate } from './params/resource.js';
import { stringPredicate } from './params/string.js';
import { tokenPredicate } from './params/token.js';
import { uriPredicate } from './params/uri.js';
import type { PredicateBuilder, PredicateContext } from './predicate.js';
import { sortTerm } from './sort.js';

/** Looks a SearchParameter up by resource type and code (the registry in @hospitium/fhir by default). */
export type SearchParameterLookup = (resourceType: string, code: string) => SearchParamDef | undefined;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

/** Result-presentation parameters: the server applies them; they never filter. */
const presentationParameters = new Set(['_format', '_pretty', '_summary', '_elements']);

const builders: Partial<Record<SearchParamType, PredicateBuilder>> = {
  token: tokenPredicate,
  string: stringPredicate,
  date: datePredicate,
  reference: referencePredicate,
  number: numberPredicate,
  quantity: quantityPredicate,
  uri: uriPredicate,
};

const RESOURCE_ALIAS = 'r';

export interface CompiledSearch {
  /** The page: `content_text` (and `total` when asked for) of up to pageSize + 1 rows. Absent when count = 0. */
  page?: CompiledQuery;
  /** `SELECT count(*) AS total` of every match. */
  count: CompiledQuery;
  pageSize: number;
  offset: number;
  /** True when the caller asked for an accurate (or estimated) total. */
  wantTotal: boolean;
}

/** One filter's condition, or undefined when the filter has no non-empty value (FHIR: ignored). */
function filterPredicate(
  ctx: PredicateContext,
  filter: SearchFilter,
  lookup: SearchParameterLookup,
): Expression | undefined {
  if (presentationParameters.has(filter.code)) return undefined;
  const values = filter.values.filter((v) => v !== '');
  if (values.length === 0) return undefined;
  const nonEmpty = { ...filter, values };
  if (filter.code === '_id') return idPredicate(ctx, nonEmpty, idDef);
  if (filter.code === '_lastUpdated') return lastUpdatedPredicate(ctx, nonEmpty, lastUpdatedDef);
  const def = lookup(ctx.resourceType, filter.code);
  if (!def)
    throw badRequest(`Unknown search parameter '${filter.code}' for resource type ${ctx.resourceType}`);
  const builder = builders[def.type];
  if (!builder) throw badRequest(`Search parameter '${filter.code}' (${def.type}) is not supported yet`);
  return builder(ctx, nonEmpty, def);
}

const idDef: SearchParamDef = { code: '_id', type: 'token', expression: 'Resource.id', target: [], url: '' };
const lastUpdatedDef: SearchParamDef = {
  code: '_lastUpdated',
  type: 'date',
  expression: 'Resource.meta.lastUpdated',
  target: [],
  url: '',
};

function pageSize(count: number | undefined): number {
  if (count === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(count) || count < 0)
    throw badRequest(`_count must be a whole number ≥ 0, not ${count}`);
  return Math.min(count, MAX_PAGE_SIZE);
}

/**
 * Compiles a search into one page query (and a count query): the resource type and "not
 * deleted" on the resources table, one semi-join per filter (AND), OR-ed values inside it,
 * ORDER BY the `_sort` keys then id (stable paging), LIMIT pageSize + 1 to know if more follow.
 */
export function buildSearch(
  request: SearchRequest,
  lookup: SearchParameterLookup = getSearchParameter,
): CompiledSearch {
  const offset = request.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0)
    throw badRequest(`_offset must be a whole number ≥ 0, not ${offset}`);
  const size = pageSize(request.count);
  const ctx: PredicateContext = { resourceType: request.resourceType, alias: RESOURCE_ALIAS };
  const r = (name: string) => column(RESOURCE_ALIAS, name);

  const conditions: Expression[] = [
    eq(r('resource_type'), request.resourceType),
    eq(r('deleted'), false, 'boolean'),
  ];
  for (const filter of request.filters) {
    const predicate = filterPredicate(ctx, filter, lookup);
    if (predicate) conditions.push(predicate);
  }
  const where = and(...conditions);

  const orderBy: OrderTerm[] = (request.sort ?? []).map((key) =>
    sortTerm(ctx, key, lookup(request.resourceType, key.code)),
  );
  if (!(request.sort ?? []).some((key) => key.code === '_id'))
    orderBy.push({ expression: r('id'), descending: false });

  const wantTotal = request.total === 'accurate' || request.total === 'estimate';
  const from = { table: 'resources' as const, alias: RESOURCE_ALIAS };
  const count = compile(select(from, [{ expression: call('count'), alias: 'total' }], { where }));
  if (size === 0) return { count, pageSize: 0, offset, wantTotal };
  const columns = [{ expression: r('content_text'), alias: 'content_text' }];
  if (wantTotal) columns.push({ expression: countOver(), alias: 'total' });
  const page = compile(select(from, columns, { where, orderBy, limit: size + 1, offset }));
  return { page, count, pageSize: size, offset, wantTotal };
}
