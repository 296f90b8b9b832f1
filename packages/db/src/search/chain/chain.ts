import { badRequest, isResourceType, type SearchParamDef } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import { and, column, type Expression, eq, inSubquery, select } from '../ast.js';
import type { PredicateContext } from '../predicate.js';

/** Compiles one (unchained) filter against a context; provided by build-query to avoid a cycle. */
export type FilterCompiler = (ctx: PredicateContext, filter: SearchFilter) => Expression | undefined;

/** Looks a SearchParameter up by resource type and code. */
export type ParamLookup = (resourceType: string, code: string) => SearchParamDef | undefined;

const typePattern = /^[A-Z][A-Za-z]{0,63}$/;

/** The parameter name as the user wrote it (`subject:Patient.name:exact`). */
export function fullName(filter: SearchFilter): string {
  return filter.modifier === undefined ? filter.code : `${filter.code}:${filter.modifier}`;
}

/** True for a chained (`a.b`) or reverse-chained (`_has:…`) filter. */
export function isChained(filter: SearchFilter): boolean {
  return filter.code === '_has' || fullName(filter).includes('.');
}

/** Splits `code[:modifier]` back into a filter carrying the given values. */
function asFilter(name: string, values: string[]): SearchFilter {
  const colon = name.indexOf(':');
  return colon < 0
    ? { code: name, values }
    : { code: name.slice(0, colon), modifier: name.slice(colon + 1), values };
}

/** Short, unique aliases per nesting level so correlated subqueries never capture the wrong table. */
function nextAlias(ctx: PredicateContext, prefix: string): string {
  const depth = (ctx.depth ?? 0) + 1;
  return `${prefix}${depth}`;
}

/**
 * A chained filter: `subject:Patient.name=peter`, `subject.name=peter` (the target type inferred
 * when the reference has one target type that knows the next parameter), several levels
 * (`patient.organization.name=…`). Compiles to
 * `r.rid IN (SELECT c.rid FROM idx_reference c WHERE c.resource_type = $ AND c.param = $
 *   AND c.target_type = $ AND c.target_id IN (SELECT t.id FROM resources t WHERE t.resource_type = $
 *   AND NOT t.deleted AND <the rest of the chain on t>))`, all inside the one search query.
 */
export function chainPredicate(
  ctx: PredicateContext,
  filter: SearchFilter,
  lookup: ParamLookup,
  compileFilter: FilterCompiler,
): Expression | undefined {
  if (filter.code === '_has') return hasPredicate(ctx, filter, lookup, compileFilter);
  const name = fullName(filter);
  const dot = name.indexOf('.');
  const head = name.slice(0, dot);
  const rest = name.slice(dot + 1);
  if (rest === '') throw badRequest(`Chained search parameter '${name}' ends with '.'`);
  const colon = head.indexOf(':');
  const code = colon < 0 ? head : head.slice(0, colon);
  const explicitType = colon < 0 ? undefined : head.slice(colon + 1);
  const def = lookup(ctx.resourceType, code);
  if (!def) throw badRequest(`Unknown search parameter '${code}' for resource type ${ctx.resourceType}`);
  if (def.type !== 'reference') {
    throw badRequest(`Cannot chain '${name}': '${code}' is a ${def.type} parameter, not a reference`);
  }
  const nextCode = rest.split(/[.:]/, 1)[0];
  const knows = (type: string) =>
    nextCode === '_id' || nextCode === '_lastUpdated' || nextCode === '_has' || !!lookup(type, nextCode);
  let targetType: string;
  if (explicitType !== undefined) {
    if (!typePattern.test(explicitType) || (def.target.length > 0 && !def.target.includes(explicitType))) {
      throw badRequest(
        `Cannot chain '${name}': '${code}' does not refer to ${explicitType} (targets: ${def.target.join(', ')})`,
      );
    }
    targetType = explicitType;
  } else {
    const candidates = def.target.filter(knows);
    if (candidates.length !== 1) {
      throw badRequest(
        candidates.length === 0
          ? `Cannot chain '${name}': no target of '${code}' (${def.target.join(', ') || 'any type'}) has a parameter '${nextCode}'`
          : `Chained parameter '${name}' is ambiguous: '${code}' may refer to ${candidates.join(', ')}; name the type, e.g. '${code}:${candidates[0]}.${rest}'`,
      );
    }
    targetType = candidates[0];
  }
  if (!knows(targetType)) {
    throw badRequest(`Unknown search parameter '${nextCode}' for resource type ${targetType} (in '${name}')`);
  }

  const target = nextAlias(ctx, 't');
  const link = nextAlias(ctx, 'c');
  const targetCtx: PredicateContext = {
    resourceType: targetType,
    alias: target,
    depth: (ctx.depth ?? 0) + 1,
  };
  const inner = compileFilter(targetCtx, asFilter(rest, filter.values));
  const t = (n: string) => column(target, n);
  const targets = select({ table: 'resources', alias: target }, [{ expression: t('id'), alias: 'id' }], {
    where: and(
      eq(t('resource_type'), targetType),
      eq(t('deleted'), false, 'boolean'),
      ...(inner ? [inner] : []),
    ),
  });
  const c = (n: string) => column(link, n);
  const links = select({ table: 'idx_reference', alias: link }, [{ expression: c('rid'), alias: 'rid' }], {
    where: and(
      eq(c('resource_type'), ctx.resourceType),
      eq(c('param'), code),
      eq(c('target_type'), targetType),
      inSubquery(c('target_id'), targets),
    ),
  });
  return inSubquery(column(ctx.alias, 'rid'), links);
}

/**
 * Reverse chaining: `_has:Observation:patient:code=1234-5` keeps the resources that an
 * Observation matching `code=1234-5` refers to through its `patient` parameter; nests
 * (`_has:Observation:patient:_has:AuditEvent:entity:agent=…`). Compiles to
 * `r.id IN (SELECT h.target_id FROM idx_reference h WHERE h.resource_type = 'Observation'
 *   AND h.param = 'patient' AND h.target_type = <searched type> AND h.rid IN (<code=… on h>))`.
 */
function hasPredicate(
  ctx: PredicateContext,
  filter: SearchFilter,
  lookup: ParamLookup,
  compileFilter: FilterCompiler,
): Expression | undefined {
  const name = fullName(filter);
  const parts = (filter.modifier ?? '').split(':');
  const [sourceType, code] = parts;
  const rest = parts.slice(2).join(':');
  if (parts.length < 3 || !sourceType || !code || rest === '') {
    throw badRequest(`Reverse chain '${name}' must read _has:[type]:[reference parameter]:[parameter]`);
  }
  if (!isResourceType(sourceType)) {
    throw badRequest(`Unknown resource type '${sourceType}' in '${name}'`);
  }
  const def = lookup(sourceType, code);
  if (!def)
    throw badRequest(`Unknown search parameter '${code}' for resource type ${sourceType} (in '${name}')`);
  if (def.type !== 'reference') {
    throw badRequest(`Cannot reverse-chain '${name}': '${code}' is a ${def.type} parameter, not a reference`);
  }
  if (def.target.length > 0 && !def.target.includes(ctx.resourceType)) {
    throw badRequest(
      `Cannot reverse-chain '${name}': ${sourceType}.${code} never refers to ${ctx.resourceType}`,
    );
  }
  const depth = (ctx.depth ?? 0) + 1;
  const link = nextAlias(ctx, 'h');
  const source = nextAlias(ctx, 's');
  const sourceCtx: PredicateContext = { resourceType: sourceType, alias: source, depth };
  const inner = compileFilter(sourceCtx, asFilter(rest, filter.values));
  const s = (n: string) => column(source, n);
  const sources = select({ table: 'resources', alias: source }, [{ expression: s('rid'), alias: 'rid' }], {
    where: and(
      eq(s('resource_type'), sourceType),
      eq(s('deleted'), false, 'boolean'),
      ...(inner ? [inner] : []),
    ),
  });
  const h = (n: string) => column(link, n);
  const links = select(
    { table: 'idx_reference', alias: link },
    [{ expression: h('target_id'), alias: 'id' }],
    {
      where: and(
        eq(h('resource_type'), sourceType),
        eq(h('param'), code),
        eq(h('target_type'), ctx.resourceType),
        inSubquery(h('rid'), sources),
      ),
    },
  );
  return inSubquery(column(ctx.alias, 'id'), links);
}
