import { badRequest } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { and, anyOf, column, compare, type Expression, eq, inSubquery, or, select } from '../ast.js';
import type { PredicateContext } from '../predicate.js';
import { functionalListPredicate } from './functional-list.js';
import { invalidValue } from './index-match.js';

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * `_list=ID`: the resource is an item (`List.entry.item`) of List/ID. Read from the List's
 * `item` reference rows, found through the List's (resource_type, id) key:
 * `r.id IN (SELECT i.target_id FROM idx_reference i WHERE i.resource_type = 'List'
 *   AND i.param = 'item' AND i.target_type = <type> AND i.rid IN (SELECT l.rid FROM resources l
 *   WHERE l.resource_type = 'List' AND l.id = $id AND NOT l.deleted))`.
 * A missing or deleted List matches nothing. Several ids (`_list=a,b`) are OR-ed. Functional
 * lists (`$current-problems`, `$current-allergies`, `$current-medications`) are conditions on
 * status codes (`functional-list.ts`).
 */
export function listPredicate(ctx: PredicateContext, filter: SearchFilter): Expression {
  if (filter.modifier !== undefined) {
    throw badRequest(
      `Search parameter '_list' takes no modifier (got ':${filter.modifier}')`,
      `http._list:${filter.modifier}`,
    );
  }
  const functional = filter.values.filter((v) => v.startsWith('$'));
  const ids = filter.values.filter((v) => !v.startsWith('$'));
  for (const id of ids) {
    if (!idPattern.test(id)) invalidValue(filter, id, 'the id of a List ([A-Za-z0-9-.]{1,64})');
  }
  const alternatives = functional.map((name) => functionalListPredicate(ctx, name));
  if (ids.length > 0) alternatives.push(listItemsPredicate(ctx, ids));
  return or(...alternatives);
}

/** The resource is an item of one of the Lists `ids`. */
function listItemsPredicate(ctx: PredicateContext, ids: readonly string[]): Expression {
  const depth = (ctx.depth ?? 0) + 1;
  const items = `li${depth}`;
  const lists = `ll${depth}`;
  const item = (name: string) => column(items, name);
  const list = (name: string) => column(lists, name);
  const listRows = select({ table: 'resources', alias: lists }, [{ expression: list('rid'), alias: 'rid' }], {
    where: and(
      eq(list('resource_type'), 'List'),
      or(...ids.map((id) => eq(list('id'), id))),
      eq(list('deleted'), false, 'boolean'),
    ),
  });
  // One type: a constant the planner can push into the index; several (system search): the
  // item's type must be the outer row's.
  const itemType = ctx.resourceTypes
    ? and(
        anyOf(item('target_type'), ctx.resourceTypes),
        compare(item('target_type'), '=', column(ctx.alias, 'resource_type')),
      )
    : eq(item('target_type'), ctx.resourceType);
  const targets = select(
    { table: 'idx_reference', alias: items },
    [{ expression: item('target_id'), alias: 'id' }],
    {
      where: and(
        eq(item('resource_type'), 'List'),
        eq(item('param'), 'item'),
        itemType,
        inSubquery(item('rid'), listRows),
      ),
    },
  );
  return inSubquery(column(ctx.alias, 'id'), targets);
}
