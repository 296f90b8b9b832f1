import { readDefinitionFile } from '../../definitions/load.js';
import { type CompiledExpression, compileExpression } from '../expression/compile.js';
import { parseSimplePath } from '../expression/parse.js';
import { partsForType, splitUnion } from '../expression/union.js';
import { resourceTypes, typeAndAncestors } from '../model/r4-model.js';
import type { SearchParamDef, SearchParamType } from '../types.js';

/**
 * The R4 core SearchParameters (`search-parameters.json` of the published definitions; not the
 * Medplum or US Core extras), one `SearchParamDef` per resource type and code, each with its
 * expression cut down to that type. Expressions are compiled once, per resource type, the first
 * time that type is indexed: a process that touches ten types does not compile 146.
 */

interface RawSearchParameter {
  url: string;
  code: string;
  type: SearchParamType;
  base: string[];
  expression?: string;
  target?: string[];
  description?: string;
}

interface RawBundle {
  entry: { resource: RawSearchParameter }[];
}

/** A parameter of one resource type with its expression parts, compiled on first use. */
export class RegisteredParam {
  private compiledExpression: CompiledExpression | undefined;

  constructor(
    readonly def: SearchParamDef,
    /** The union parts that apply to the type; empty when the parameter has no expression. */
    readonly parts: readonly string[],
    private readonly resourceType: string,
  ) {}

  /** The compiled expression; undefined for parameters without one and for composites. */
  get compiled(): CompiledExpression | undefined {
    if (this.parts.length === 0 || this.def.type === 'composite') return undefined;
    this.compiledExpression ??= compileExpression(this.parts, this.resourceType);
    return this.compiledExpression;
  }
}

interface Registry {
  byType: Map<string, Map<string, RegisteredParam>>;
}

let registry: Registry | undefined;

/** `where(resolve() is T)` at the end of every part narrows the targets to those T. */
function narrowTargets(parts: readonly string[], targets: readonly string[]): string[] {
  const narrowed = new Set<string>();
  for (const part of parts) {
    const last = parseSimplePath(part)?.steps.at(-1);
    if (last?.kind !== 'whereResolveIs') return [...targets];
    narrowed.add(last.type);
  }
  return targets.length === 0 ? [...narrowed] : targets.filter((t) => narrowed.has(t));
}

/**
 * Shared parameters describe every type in one text (`Multiple Resources: * [Observation](…):
 * The subject …`); keep the line of this type.
 */
function describeFor(description: string | undefined, resourceType: string): string | undefined {
  if (!description?.startsWith('Multiple Resources:')) return description;
  const line = description.split(/\r?\n/).find((l) => l.startsWith(`* [${resourceType}](`));
  return line ? line.slice(line.indexOf('):') + 2).trim() : description;
}

function register(
  reg: Registry,
  resourceType: string,
  sp: RawSearchParameter,
  split: readonly string[],
): void {
  const parts = partsForType(split, typeAndAncestors(resourceType));
  const def: SearchParamDef = {
    code: sp.code,
    type: sp.type,
    expression: parts.length > 0 ? parts.join(' | ') : undefined,
    target: parts.length > 0 ? narrowTargets(parts, sp.target ?? []) : [...(sp.target ?? [])],
    url: sp.url,
  };
  const description = describeFor(sp.description, resourceType);
  if (description) def.description = description;
  Object.freeze(def.target);
  reg.byType.get(resourceType)?.set(sp.code, new RegisteredParam(Object.freeze(def), parts, resourceType));
}

function build(): Registry {
  const bundle = readDefinitionFile<RawBundle>('search-parameters.json');
  const reg: Registry = { byType: new Map() };
  for (const type of [...resourceTypes].sort()) reg.byType.set(type, new Map());
  for (const { resource: sp } of bundle.entry) {
    // Split a shared expression once, not once per base type (clinical-patient has 32).
    const split = sp.expression ? splitUnion(sp.expression) : [];
    for (const base of sp.base) {
      if (base === 'Resource' || base === 'DomainResource') {
        for (const type of reg.byType.keys()) {
          if (typeAndAncestors(type).includes(base)) register(reg, type, sp, split);
        }
      } else if (resourceTypes.has(base)) {
        register(reg, base, sp, split);
      }
    }
  }
  return reg;
}

function getRegistry(): Registry {
  registry ??= build();
  return registry;
}

/** The registered parameters of a resource type (empty for an unknown type). */
export function registeredParams(resourceType: string): ReadonlyMap<string, RegisteredParam> {
  return getRegistry().byType.get(resourceType) ?? new Map();
}

/** The registered parameter `code` of a resource type, if any. */
export function registeredParam(resourceType: string, code: string): RegisteredParam | undefined {
  return getRegistry().byType.get(resourceType)?.get(code);
}
