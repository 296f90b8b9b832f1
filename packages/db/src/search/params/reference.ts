import { parseReference, type SearchParamDef } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { and, type Expression, eq, isNull, or } from '../ast.js';
import { unescapeValue } from '../escape.js';
import { indexKey } from '../index-key.js';
import type { PredicateBuilder } from '../predicate.js';
import {
  hasIndexRow,
  indexColumn,
  invalidValue,
  missingPredicate,
  unsupportedModifier,
} from './index-match.js';
import { tokenMatch } from './token.js';

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;
const typePattern = /^[A-Z][A-Za-z]{0,63}$/;
const absolutePattern = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function checkTarget(filter: SearchFilter, def: SearchParamDef, type: string, value: string): void {
  if (def.target.length > 0 && !def.target.includes(type)) {
    invalidValue(filter, value, `a reference to ${def.target.join(', ')}`);
  }
}

function targetMatch(type: string | undefined, id: string): Expression {
  return type === undefined
    ? eq(indexColumn('target_id'), id)
    : and(eq(indexColumn('target_id'), id), eq(indexColumn('target_type'), type));
}

/**
 * One reference value: `Patient/123` (or `…/_history/2`), `123` (typed by the `:Type` modifier,
 * else by the parameter's single target type, else any type), or an absolute URL, matched as
 * written: a FHIR-style one through its type and id, a canonical or other URI through the url.
 */
function referenceMatch(filter: SearchFilter, def: SearchParamDef, raw: string): Expression {
  const value = unescapeValue(raw);
  const modifierType = filter.modifier;
  if (modifierType !== undefined) checkTarget(filter, def, modifierType, `:${modifierType}`);

  if (idPattern.test(value)) {
    return targetMatch(modifierType ?? (def.target.length === 1 ? def.target[0] : undefined), value);
  }
  const parsed = parseReference(value);
  if (absolutePattern.test(value)) {
    const byUrl = and(isNull(indexColumn('target_id')), eq(indexColumn('url'), indexKey(value)));
    // Canonicals are stored url-only even when they look like Type/id, so try both shapes.
    return parsed
      ? or(and(targetMatch(parsed.type, parsed.id), eq(indexColumn('url'), indexKey(value))), byUrl)
      : byUrl;
  }
  if (!parsed) return invalidValue(filter, raw, 'Type/id, an id, or an absolute URL');
  if (modifierType !== undefined && modifierType !== parsed.type) {
    return invalidValue(filter, raw, `a reference to ${modifierType} (the modifier)`);
  }
  checkTarget(filter, def, parsed.type, raw);
  return targetMatch(parsed.type, parsed.id);
}

/**
 * Reference search against idx_reference, served by the (resource_type, param, target_id,
 * target_type) B-tree (and a partial url B-tree for url-only rows); `:[type]`, `:missing`,
 * `:identifier` (the reference's logical identifier, `system|value`).
 */
export const referencePredicate: PredicateBuilder = (ctx, filter, def) => {
  if (filter.modifier === 'missing') return missingPredicate('idx_reference', ctx, filter);
  if (filter.modifier === 'identifier') {
    // Reference.identifier is indexed as token rows under `[param]:identifier` (logical references).
    return hasIndexRow(
      'idx_token',
      ctx,
      `${filter.code}:identifier`,
      or(...filter.values.map((v) => tokenMatch(v))),
    );
  }
  if (filter.modifier !== undefined && !typePattern.test(filter.modifier))
    return unsupportedModifier(filter, 'reference');
  return hasIndexRow(
    'idx_reference',
    ctx,
    filter.code,
    or(...filter.values.map((v) => referenceMatch(filter, def, v))),
  );
};
