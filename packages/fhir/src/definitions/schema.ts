import { serverError } from '../outcome/outcome.js';
import { type ElementInfo, type StructureInfo, structureInfo } from './structures.js';

/**
 * Compiled schemas: one per resource type or datatype, built from its StructureDefinition on first
 * use and cached. A schema maps every JSON property name an object may carry (`valueQuantity`,
 * `_birthDate`) straight to its element, so validating an object is one map lookup per property.
 */

/** What a value must be. Complex schemas resolve lazily: types refer to each other (Extension.extension). */
export type TypeRef =
  | { readonly kind: 'primitive'; readonly code: string }
  | { readonly kind: 'complex'; readonly code: string; readonly schema: () => TypeSchema }
  | { readonly kind: 'resource'; readonly resourceType?: string };

export interface ElementSchema {
  /** Definition path, e.g. `Observation.value[x]` or `Observation.component.code`. */
  readonly path: string;
  /** Element name without `[x]` (`value`, `status`), as FHIRPath names it. */
  readonly name: string;
  readonly min: number;
  /** `Infinity` for `*`; 0 means prohibited (profiles such as SimpleQuantity). */
  readonly max: number;
  /** JSON arrays where max != 1. */
  readonly array: boolean;
  /** A `[x]` element: `keys` holds one property name per allowed type. */
  readonly choice: boolean;
  /** Property names that carry this element (value or `_name` sibling counts as present). */
  readonly keys: readonly string[];
  /** ValueSet canonical of a required binding. */
  readonly binding?: string;
}

export interface ElementSlot {
  readonly element: ElementSchema;
  readonly type: TypeRef;
  /** The property holding the value (`birthDate`, also for the `_birthDate` slot). */
  readonly key: string;
  /** True for the `_name` sibling that holds a primitive's id and extensions. */
  readonly primitiveExtension: boolean;
  /** `_birthDate` for primitives that may carry one (not the XML attributes id/url, not xhtml). */
  readonly extensionKey?: string;
}

export interface TypeSchema {
  /** `Observation`, `HumanName`, or a backbone path such as `Observation.component`. */
  readonly name: string;
  readonly slots: ReadonlyMap<string, ElementSlot>;
  readonly required: readonly ElementSchema[];
  readonly isResource: boolean;
}

const cache = new Map<string, TypeSchema | null>();

/** The compiled schema of a resource type or complex datatype; undefined when R4 has no such type. */
export function typeSchema(name: string): TypeSchema | undefined {
  let schema = cache.get(name);
  if (schema === undefined) {
    const info = structureInfo(name);
    schema = info && info.kind !== 'primitive-type' ? compileStructure(info) : null;
    cache.set(name, schema);
  }
  return schema ?? undefined;
}

/** True when `code` names an R4 primitive datatype (`string`, `dateTime`, …). */
export function isPrimitiveType(code: string): boolean {
  return structureInfo(code)?.kind === 'primitive-type';
}

function compileStructure(info: StructureInfo): TypeSchema {
  const [root, ...rest] = info.elements;
  const children = new Map<string, ElementInfo[]>();
  for (const el of rest) {
    const parent = el.path.slice(0, el.path.lastIndexOf('.'));
    let list = children.get(parent);
    if (!list) {
      list = [];
      children.set(parent, list);
    }
    list.push(el);
  }
  // Backbone schemas by definition path, so contentReference (`#Questionnaire.item`) can reuse them.
  const byPath = new Map<string, TypeSchema>();
  const isResource = info.kind === 'resource';

  const build = (path: string, name: string, resourceRoot: boolean): TypeSchema => {
    const slots = new Map<string, ElementSlot>();
    const required: ElementSchema[] = [];
    const schema: TypeSchema = { name, slots, required, isResource: resourceRoot };
    byPath.set(path, schema);
    for (const el of children.get(path) ?? []) {
      const elementName = el.path.slice(el.path.lastIndexOf('.') + 1);
      const choice = elementName.endsWith('[x]');
      const base = choice ? elementName.slice(0, -3) : elementName;
      const typeInfos = el.types.length > 0 ? el.types : [{ code: '', structure: '', attribute: false }];
      const keys = choice ? typeInfos.map((t) => base + t.code[0].toUpperCase() + t.code.slice(1)) : [base];
      const element: ElementSchema = {
        path: el.path,
        name: base,
        min: el.min,
        max: el.max,
        array: el.max > 1,
        choice,
        keys,
        ...(el.requiredBinding ? { binding: el.requiredBinding } : {}),
      };
      if (el.min > 0) required.push(element);
      const nested = children.has(el.path) ? build(el.path, el.path, false) : undefined;
      typeInfos.forEach((t, i) => {
        const key = keys[i];
        const type = typeRef(t.structure, el, nested, byPath);
        if (type.kind === 'primitive' && !t.attribute && t.code !== 'xhtml') {
          const extensionKey = `_${key}`;
          slots.set(key, { element, type, key, primitiveExtension: false, extensionKey });
          slots.set(extensionKey, { element, type, key, primitiveExtension: true, extensionKey });
        } else {
          slots.set(key, { element, type, key, primitiveExtension: false });
        }
      });
    }
    return schema;
  };

  return build(root.path, info.name, isResource);
}

function typeRef(
  structure: string,
  el: ElementInfo,
  nested: TypeSchema | undefined,
  byPath: ReadonlyMap<string, TypeSchema>,
): TypeRef {
  if (nested) return { kind: 'complex', code: 'BackboneElement', schema: () => nested };
  if (el.contentReference) {
    const target = el.contentReference;
    return {
      kind: 'complex',
      code: 'BackboneElement',
      schema: () => {
        const found = byPath.get(target);
        if (!found) throw definitionError(`contentReference ${target} of ${el.path} does not resolve`);
        return found;
      },
    };
  }
  const info = structureInfo(structure);
  if (!info) throw definitionError(`Unknown type ${structure} for ${el.path}`);
  if (info.kind === 'primitive-type') return { kind: 'primitive', code: structure };
  if (info.kind === 'resource') {
    return info.abstract ? { kind: 'resource' } : { kind: 'resource', resourceType: structure };
  }
  return {
    kind: 'complex',
    code: structure,
    schema: () => {
      const schema = typeSchema(structure);
      if (!schema) throw definitionError(`No schema for type ${structure}`);
      return schema;
    },
  };
}

/** The R4 definitions themselves are inconsistent: a defect of the package, never of the input. */
function definitionError(message: string): Error {
  return serverError(new Error(`R4 definitions: ${message}`));
}
