import type { SearchParamDef } from '@hospitium/fhir';
import type { SearchFilter } from '../repository/types.js';
import type { Expression } from './ast.js';

/** What a predicate builder knows about the query it contributes to. */
export interface PredicateContext {
  /** The resource type searched (`Observation` in `GET /Observation?…`). */
  resourceType: string;
  /** Alias of the `resources` table in the outer query. */
  alias: string;
  /**
   * A system-wide search over several types with one shared SearchParameter (`_tag`): index rows
   * of any of these types match (`resource_type = ANY(…)`); `resourceType` is then the first.
   */
  resourceTypes?: readonly string[];
  /** Nesting level inside chains and `_has` (0 or absent at the top), for unique aliases. */
  depth?: number;
}

/**
 * Builds the WHERE condition of one filter (one query parameter; its values OR-ed) for one
 * search-parameter type. Throws a 400 OperationOutcomeError naming the parameter on bad input.
 */
export type PredicateBuilder = (
  ctx: PredicateContext,
  filter: SearchFilter,
  def: SearchParamDef,
) => Expression;

/** `name:modifier` as the user wrote it, for error messages. */
export function filterName(filter: SearchFilter): string {
  return filter.modifier ? `${filter.code}:${filter.modifier}` : filter.code;
}
