import type { CompartmentFilter } from '../repository/types.js';
import { and, anyOf, column, type Expression, eq, inSubquery, or, select } from './ast.js';
import type { PredicateContext } from './predicate.js';

/**
 * Compartment search (`Patient/1/Observation`): the resource refers to the compartment's owner
 * through any of the compartment's parameters —
 * `r.rid IN (SELECT c.rid FROM idx_reference c WHERE c.resource_type = $ AND c.param = ANY($)
 *   AND c.target_id = $ AND c.target_type = $)` — one semi-join on the idx_reference target
 * B-tree, not an OR of subqueries (which the planner could only run as a filter over every row
 * of the type). A resource of the owner's own type is also in by its id (a Patient is in its own).
 */
export function compartmentPredicate(ctx: PredicateContext, compartment: CompartmentFilter): Expression {
  const c = (name: string) => column('c', name);
  const linked =
    compartment.params.length === 0
      ? undefined
      : inSubquery(
          column(ctx.alias, 'rid'),
          select({ table: 'idx_reference', alias: 'c' }, [{ expression: c('rid'), alias: 'rid' }], {
            where: and(
              eq(c('resource_type'), ctx.resourceType),
              anyOf(c('param'), compartment.params),
              eq(c('target_id'), compartment.id),
              eq(c('target_type'), compartment.resourceType),
            ),
          }),
        );
  const self =
    ctx.resourceType === compartment.resourceType ? eq(column(ctx.alias, 'id'), compartment.id) : undefined;
  if (linked && self) return or(self, linked);
  return linked ?? self ?? eq(column(ctx.alias, 'id'), '');
}
