import type { IncludeParam } from '@hospitium/db';
import { badRequest, getSearchParameter, getSearchParameters, isResourceType } from '@hospitium/fhir';

export type IncludeKind = '_include' | '_revinclude';

/** Modifiers of `_include` / `_revinclude`: `:iterate`, and R3's `:recurse` (same meaning). */
const iterateModifiers = new Set(['iterate', 'recurse']);

/** True for `_include`, `_revinclude` and their `:iterate` / `:recurse` forms. */
export function isIncludeName(name: string): boolean {
  const [code, modifier, ...rest] = name.split(':');
  return (
    (code === '_include' || code === '_revinclude') &&
    rest.length === 0 &&
    (modifier === undefined || iterateModifiers.has(modifier))
  );
}

/**
 * Parses one `_include` / `_revinclude` value: `*`, `Type:param`, `Type:param:TargetType` or
 * `Type:*`. The type must exist, the parameter must be one of its reference parameters and the
 * target type one the parameter can point at; anything else is a 400 naming the parameter.
 */
export function parseIncludeValue(name: string, value: string): IncludeParam {
  const [code, modifier] = name.split(':');
  const iterate = modifier !== undefined && iterateModifiers.has(modifier);
  const fail = (why: string) => badRequest(`Invalid ${name}=${value}: ${why}`, `http.${code}`);
  const withIterate = (p: IncludeParam): IncludeParam => (iterate ? { ...p, iterate } : p);
  if (value === '*') return withIterate({ resourceType: '*', param: '*' });
  const parts = value.split(':');
  if (parts.length < 2 || parts.length > 3) throw fail('expected Type:parameter[:TargetType] or *');
  const [resourceType, param, targetType] = parts;
  if (!isResourceType(resourceType)) throw fail(`unknown resource type '${resourceType}'`);
  if (targetType !== undefined && !isResourceType(targetType))
    throw fail(`unknown target type '${targetType}'`);
  if (param === '*')
    return withIterate(targetType ? { resourceType, param, targetType } : { resourceType, param });
  const def = getSearchParameter(resourceType, param);
  if (!def) throw fail(`unknown search parameter '${param}' for ${resourceType}`);
  if (def.type !== 'reference') throw fail(`'${param}' is a ${def.type} parameter, not a reference`);
  if (targetType !== undefined && def.target.length > 0 && !def.target.includes(targetType))
    throw fail(`${resourceType}.${param} cannot refer to ${targetType}`);
  return withIterate(targetType ? { resourceType, param, targetType } : { resourceType, param });
}

/** The parameter as it appears in a query string (for paging links). */
export function includeQueryPair(kind: IncludeKind, p: IncludeParam): [string, string] {
  const name = p.iterate ? `${kind}:iterate` : kind;
  if (p.resourceType === '*' && p.param === '*') return [name, '*'];
  return [name, [p.resourceType, p.param, ...(p.targetType ? [p.targetType] : [])].join(':')];
}

/**
 * `searchInclude` / `searchRevInclude` of a type's CapabilityStatement entry: `*` and every
 * reference parameter of the type; reverse includes are declared by `*` alone (every reference
 * parameter of every type pointing here would make the statement many times larger).
 */
export function includeCapabilities(resourceType: string): {
  searchInclude: string[];
  searchRevInclude: string[];
} {
  const own = getSearchParameters(resourceType)
    .filter((def) => def.type === 'reference')
    .map((def) => `${resourceType}:${def.code}`);
  return { searchInclude: ['*', ...own], searchRevInclude: ['*'] };
}
