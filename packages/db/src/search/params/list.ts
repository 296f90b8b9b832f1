import { badRequest } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { and, anyOf, column, compare, type Expression, eq, inSubquery, or, select } from '../ast.js';
import type { PredicateContext } from '../predicate.js';
import { invalidValue } from './index-match.js';

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * `_list=ID`: the resource is an item (`List.entry.item`) of List/ID. Read from the List's
 * `item` reference rows, found through the List's (resource_type, id) key:
 * `r.id IN (SELECT i.target_id FROM idx_reference i WHERE i.resource_type = 'List'
 *   AND i.param = 'item' AND i.target_type = <type> AND i.rid IN (SELECT l.rid FROM resources l
 *   WHERE l.resource_type = 'List' AND l.id = $id AND NOT l.deleted))`.
 * A missing or deleted List matches nothing. Several ids (`_list=a,b`) are OR-ed.
 * Functional lists (`$current-problems` …) are a 400: they are not implemented.
 */
export function listPredicate(ctx: PredicateContext, filter: SearchFilter): Expression {
  if (filter.modifier !== undefined) {
    throw badRequest(
      `Search parameter '_list' takes no modifier (got ':${filter.modifier}')`,
      `http._list:${filter.modifier}`,
    );
  }
  for (const id of filter.values) {
    if (id.startsWith('$')) {
      throw badRequest(
        `Functional list '${id}' is not supported: _list takes the id of a List resource`,
        'http._list',
      );
    }
    if (!idPattern.test(id)) invalidValue(filter, id, 'the id of a List ([A-Za-z0-9-.]{1,64})');
  }
  const depth = (ctx.depth ?? 0) + 1;
  const items = `li${depth}`;
  const lists = `ll${depth}`;
  const item = (name: string) => column(items, name);
  const list = (name: string) => column(lists, name);
  const listRows = select({ table: 'resources', alias: lists }, [{ expression: list('rid'), alias: 'rid' }], {
    where: and(
      eq(list('resource_type'), 'List'),
      or(...filter.values.map((id) => eq(list('id'), id))),
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
