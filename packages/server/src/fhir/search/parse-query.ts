import {
  DEFAULT_PAGE_SIZE,
  type IncludeParam,
  MAX_PAGE_SIZE,
  type SearchFilter,
  type SearchRequest,
} from '@hospitium/db';
import { badRequest } from '@hospitium/fhir';
import { includeQueryPair, isIncludeName, parseIncludeValue } from './include-params.js';
import { lookupSearchParameter } from './params.js';
import { parseElements, type Subsetting } from './summary.js';

/** Page size when `_count` is absent, and the largest page served (larger `_count` is clamped). */
export const defaultPageSize = DEFAULT_PAGE_SIZE;
export const maxPageSize = MAX_PAGE_SIZE;

/** A parameter that was ignored under `Prefer: handling=lenient`, with the reason. */
export interface IgnoredParam {
  name: string;
  reason: string;
}

/** What the server adds to the page the repository finds: includes and subsetting. */
export interface ResultParams {
  include: IncludeParam[];
  revinclude: IncludeParam[];
  subsetting: Subsetting;
}

export interface ParsedSearch {
  request: SearchRequest;
  ignored: IgnoredParam[];
  result: ResultParams;
}

/** Parameters that only shape the HTTP response (the adapter handles `_format`); accepted and not searched. */
const responseParams = new Set(['_format', '_pretty']);

/**
 * Parses a search query (`GET [type]?…` or the form body of `POST [type]/_search`) into a
 * SearchRequest: repeated parameters are AND-ed filters, commas within one value are OR-ed
 * (`\,` is a literal comma), `name:modifier` splits off the modifier; `_count`, `_offset`,
 * `_sort`, `_total` and `_summary=count` control the page. An unknown or unsupported parameter
 * is a 400 naming it, unless `lenient` (`Prefer: handling=lenient`), when it is ignored and listed.
 */
export function parseSearchQuery(
  resourceType: string,
  query: URLSearchParams,
  options: { lenient?: boolean } = {},
): ParsedSearch {
  const request: SearchRequest = { resourceType, filters: [] };
  const ignored: IgnoredParam[] = [];
  const result: ResultParams = { include: [], revinclude: [], subsetting: {} };
  const reject = (name: string, reason: string): void => {
    if (!options.lenient) throw badRequest(reason, `http.${name}`);
    ignored.push({ name, reason });
  };

  for (const [name, value] of query) {
    if (responseParams.has(name)) continue;
    if (isIncludeName(name)) {
      const list = name.startsWith('_include') ? result.include : result.revinclude;
      for (const part of value.split(',').filter((v) => v !== '')) list.push(parseIncludeValue(name, part));
      continue;
    }
    switch (name) {
      case '_count': {
        const count = parseNonNegativeInt(name, value);
        request.count = Math.min(count, maxPageSize);
        continue;
      }
      case '_offset':
        request.offset = parseNonNegativeInt(name, value);
        continue;
      case '_total':
        if (value !== 'none' && value !== 'estimate' && value !== 'accurate') {
          throw badRequest(`_total must be none, estimate or accurate (got '${value}')`, 'http._total');
        }
        request.total = value;
        continue;
      case '_sort':
        request.sort = parseSort(resourceType, value, reject);
        continue;
      case '_summary':
        if (value === 'count') {
          request.count = 0;
          request.total = 'accurate';
        } else if (value === 'true' || value === 'text' || value === 'data') {
          result.subsetting.summary = value;
        } else if (value !== 'false') {
          throw badRequest(
            `_summary must be true, text, data, count or false (got '${value}')`,
            'http._summary',
          );
        }
        continue;
      case '_elements':
        result.subsetting.elements = [
          ...(result.subsetting.elements ?? []),
          ...parseElements(resourceType, value),
        ];
        continue;
    }
    const filter = parseFilter(resourceType, name, value, reject);
    if (filter) request.filters.push(filter);
  }
  return { request, ignored, result };
}

function parseFilter(
  resourceType: string,
  name: string,
  value: string,
  reject: (name: string, reason: string) => void,
): SearchFilter | undefined {
  const colon = name.indexOf(':');
  const code = colon < 0 ? name : name.slice(0, colon);
  const modifier = colon < 0 ? undefined : name.slice(colon + 1);
  if (code.includes('.') || code === '_has') {
    // Chains and reverse chains are resolved (and rejected with a 400 naming them) by the search
    // engine, which knows every type along the chain.
    const values = splitOrValues(value).filter((v) => v !== '');
    if (values.length === 0) return undefined;
    return modifier === undefined ? { code, values } : { code, modifier, values };
  }
  if (code === '_include' || code === '_revinclude') {
    reject(name, `'${name}': the modifiers of ${code} are :iterate and :recurse`);
    return undefined;
  }
  const lookup = lookupSearchParameter(resourceType, code);
  if (lookup.status === 'unknown') {
    reject(name, `Unknown search parameter '${code}' for resource type ${resourceType}`);
    return undefined;
  }
  if (lookup.status === 'unsupported') {
    reject(name, `Search parameter '${code}' (type ${lookup.def.type}) is not supported yet`);
    return undefined;
  }
  let values = splitOrValues(value).filter((v) => v !== '');
  // An unencoded `+` in a time-zone offset arrives as a space; dates never contain spaces.
  if (lookup.def.type === 'date') values = values.map((v) => v.replaceAll(' ', '+'));
  // An empty full-text search is a mistake (it would otherwise silently match everything).
  if (values.length === 0 && (code === '_text' || code === '_content')) {
    reject(name, `Search parameter '${name}' needs at least one word to search for`);
    return undefined;
  }
  // An empty parameter (`?name=`) constrains nothing: ignored as the specification says.
  if (values.length === 0 && modifier !== 'missing') return undefined;
  return modifier === undefined ? { code, values } : { code, modifier, values };
}

function parseSort(
  resourceType: string,
  value: string,
  reject: (name: string, reason: string) => void,
): { code: string; descending: boolean }[] {
  const keys: { code: string; descending: boolean }[] = [];
  for (const raw of value.split(',')) {
    const key = raw.trim();
    if (key === '') continue;
    const descending = key.startsWith('-');
    const code = descending ? key.slice(1) : key;
    const lookup = lookupSearchParameter(resourceType, code);
    if (lookup.status !== 'supported') {
      reject('_sort', `Cannot sort ${resourceType} by unknown or unsupported parameter '${code}'`);
      continue;
    }
    keys.push({ code, descending });
  }
  return keys;
}

function parseNonNegativeInt(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) {
    throw badRequest(`${name} must be a non-negative integer (got '${value}')`, `http.${name}`);
  }
  return Number(value);
}

/**
 * Splits one parameter value on unescaped commas (OR). `\,` becomes a literal comma; other
 * escapes (`\|`, `\$`, `\\`) are kept for the type-specific parsers in the search engine.
 */
export function splitOrValues(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && i + 1 < value.length) {
      const next = value[i + 1];
      current += next === ',' ? ',' : ch + next;
      i++;
    } else if (ch === ',') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** The canonical query string of a search (for `self`/`next` links), with `_offset` set as given. */
export function searchQueryString(request: SearchRequest, offset: number, result?: ResultParams): string {
  const params = new URLSearchParams();
  for (const filter of request.filters) {
    const name = filter.modifier === undefined ? filter.code : `${filter.code}:${filter.modifier}`;
    params.append(name, filter.values.map((v) => v.replaceAll(',', '\\,')).join(','));
  }
  if (request.sort && request.sort.length > 0) {
    params.append('_sort', request.sort.map((s) => (s.descending ? `-${s.code}` : s.code)).join(','));
  }
  if (request.total) params.append('_total', request.total);
  for (const p of result?.include ?? []) params.append(...includeQueryPair('_include', p));
  for (const p of result?.revinclude ?? []) params.append(...includeQueryPair('_revinclude', p));
  if (result?.subsetting.summary) params.append('_summary', result.subsetting.summary);
  if (result?.subsetting.elements) params.append('_elements', result.subsetting.elements.join(','));
  params.append('_count', String(request.count ?? defaultPageSize));
  if (offset > 0) params.append('_offset', String(offset));
  return params.toString();
}
