import { badRequest, codeSystemSubsumption, expandCoreValueSet } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { and, anyOf, type Expression, eq, isNull, literal, or } from '../ast.js';
import { splitEscaped, unescapeValue } from '../escape.js';
import { indexKey } from '../index-key.js';
import { filterName } from '../predicate.js';
import { indexColumn } from './index-match.js';

/**
 * Token modifiers that need terminology, answered from the R4 core definitions only (no
 * terminology server): `:in` / `:not-in` expand a core ValueSet; `:below` / `:above` walk the
 * concept hierarchy of a core CodeSystem. Anything the definitions cannot answer is a 400 naming it.
 */

/**
 * Rows whose (system, code) is in the expansion: per system, `system = $ AND code = ANY($codes)`;
 * plus rows without a system (a `code` element such as Patient.gender, whose system is implied
 * by its binding) whose code is in the expansion.
 */
function inExpansion(expansion: ReadonlyMap<string, ReadonlySet<string>>): Expression {
  const perSystem: Expression[] = [];
  const all = new Set<string>();
  for (const [system, codes] of expansion) {
    if (codes.size === 0) continue;
    const keys = [...codes].map((c) => indexKey(c));
    for (const key of keys) all.add(key);
    perSystem.push(and(eq(indexColumn('system'), indexKey(system)), anyOf(indexColumn('code'), keys)));
  }
  if (all.size === 0) return literal(false);
  perSystem.push(and(isNull(indexColumn('system')), anyOf(indexColumn('code'), [...all])));
  return or(...perSystem);
}

/** `:in=[ValueSet url]` (and `:not-in`, negated by the caller): the match on one token row. */
export function valueSetMatch(filter: SearchFilter, value: string): Expression {
  const url = unescapeValue(value);
  const expansion = expandCoreValueSet(url);
  if (!expansion) {
    throw badRequest(
      `ValueSet '${url}' (in '${filterName(filter)}') is unknown or cannot be expanded from the R4 core definitions`,
    );
  }
  return inExpansion(expansion);
}

/** `:below=system|code` / `:above=system|code`: the code and its descendants / ancestors. */
export function subsumptionMatch(
  filter: SearchFilter,
  value: string,
  direction: 'above' | 'below',
): Expression {
  const parts = splitEscaped(value, '|');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw badRequest(`'${filterName(filter)}' needs system|code, not '${value}'`);
  }
  const [system, code] = parts;
  const codes = codeSystemSubsumption(system, code, direction);
  if (!codes) {
    throw badRequest(
      `'${filterName(filter)}': code '${code}' of '${system}' has no hierarchy in the R4 core definitions`,
    );
  }
  // A system-less row is a `code` element, whose system is the one its binding implies.
  return and(
    or(eq(indexColumn('system'), indexKey(system)), isNull(indexColumn('system'))),
    anyOf(
      indexColumn('code'),
      codes.map((c) => indexKey(c)),
    ),
  );
}

/**
 * `:of-type=type-system|type-code|value` on an Identifier: the extractor stores one row per
 * Identifier.type coding under `[param]:of-type`, with the type's system and `type-code|value` as
 * code (one index, one lookup). An empty type system matches any system.
 */
export function ofTypeMatch(filter: SearchFilter, value: string): Expression {
  const parts = splitEscaped(value, '|');
  if (parts.length !== 3 || parts[1] === '' || parts[2] === '') {
    throw badRequest(`'${filterName(filter)}' needs type-system|type-code|value, not '${value}'`);
  }
  const [system, code, identifier] = parts;
  const match = eq(indexColumn('code'), indexKey(`${code}|${identifier}`));
  return system === '' ? match : and(match, eq(indexColumn('system'), indexKey(system)));
}
