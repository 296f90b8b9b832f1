import { badRequest, normaliseString } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { and, anyOf, column, type Expression, eq, inSubquery, select, textMatch } from '../ast.js';
import { unescapeValue } from '../escape.js';
import { filterName, type PredicateContext } from '../predicate.js';
import { unsupportedModifier } from './index-match.js';

/** The full-text parameters and the idx_text column each searches. */
export const textParameters = { _text: 'narrative', _content: 'content' } as const;

export type TextParameter = keyof typeof textParameters;

export function isTextParameter(code: string): code is TextParameter {
  return Object.hasOwn(textParameters, code);
}

/** Longest query accepted: a search box, not a document. */
const MAX_QUERY_LENGTH = 1000;

const WORD = /[\p{L}\p{N}]/u;

/**
 * One `_text` / `_content` value as the query text `websearch_to_tsquery` reads: escapes removed,
 * accents and case folded as the stored words were. 400 when it has no word to look for.
 */
function queryText(filter: SearchFilter, raw: string): string {
  const text = normaliseString(unescapeValue(raw));
  if (text.length > MAX_QUERY_LENGTH) {
    throw badRequest(
      `Search parameter '${filterName(filter)}' is longer than ${MAX_QUERY_LENGTH} characters`,
      `http.${filterName(filter)}`,
    );
  }
  if (!WORD.test(text)) {
    throw badRequest(
      `Search parameter '${filterName(filter)}' needs at least one word to search for (got '${raw}')`,
      `http.${filterName(filter)}`,
    );
  }
  return text;
}

/** 400 for `_text=` / `_content=`: an empty full-text search is a mistake, not "match everything". */
export function rejectEmptyText(filter: SearchFilter): never {
  throw badRequest(
    `Search parameter '${filterName(filter)}' needs at least one word to search for`,
    `http.${filterName(filter)}`,
  );
}

/**
 * `_text` (the narrative) and `_content` (all the resource's text) against idx_text's GIN
 * indexes. Each value is web-search syntax over whole words: `heart failure` (both words),
 * `"heart failure"` (the phrase), `fever or cough`, `asthma -smoker`; commas OR values, repeated
 * parameters AND them. Words match whole, case- and accent-insensitively, without stemming.
 */
export function textPredicate(ctx: PredicateContext, filter: SearchFilter, code: TextParameter): Expression {
  if (filter.modifier !== undefined) return unsupportedModifier(filter, 'full-text');
  if (filter.values.length === 0) return rejectEmptyText(filter);
  const queries = filter.values.map((v) => queryText(filter, v));
  const alias = `x${(ctx.depth ?? 0) + 1}`;
  const col = (name: string) => column(alias, name);
  const type = ctx.resourceTypes
    ? anyOf(col('resource_type'), ctx.resourceTypes)
    : eq(col('resource_type'), ctx.resourceType);
  const rows = select({ table: 'idx_text', alias }, [{ expression: col('rid'), alias: 'rid' }], {
    where: and(type, textMatch(col(textParameters[code]), queries)),
  });
  return inSubquery(column(ctx.alias, 'rid'), rows);
}
