import type { Resource } from '../../types.js';
import { isType, knownTypes, r4Model } from '../model/r4-model.js';
import type { PathStep, SimplePath } from './parse.js';
import { referenceMayBe } from './reference-target.js';
import type { Evaluator, ValueSink } from './typed-value.js';

/**
 * The fast evaluator: a simple path is compiled, against the R4 model, into a few table-driven
 * steps walked over plain JSON. It follows `fhirpath`'s own navigation rules (same model tables, the
 * first present choice-type property wins, `null` array items are skipped) so the two agree —
 * the equivalence test over the corpus proves it. One deliberate difference: `as T` filters a
 * collection instead of failing on more than one value, as every search server does.
 */

/** What a node can be at one point of the path: its type and the model path its children hang off. */
interface Shape {
  type: string;
  /** `HumanName` for datatypes, `Observation.component` for backbone elements, `Patient` for the root. */
  key: string;
}

interface ChildOption {
  prop: string;
  /** `_prop` holds extensions of a primitive; `fhirpath` counts it when picking a choice type. */
  extProp: string;
  /** Shape of the child values. */
  out: number;
}

const CHILD = 0;
const OF_TYPE = 1;
const RESOLVE_IS = 2;
const EQUALS = 3;

/**
 * A compiled step. Values are walked depth first, one at a time, without intermediate
 * collections: every step maps or filters each value independently, so the order equals
 * FHIRPath's level-by-level order.
 */
type Step =
  /** Options per input shape; several for a choice type, tried in order. */
  | { kind: typeof CHILD; table: (ChildOption[] | undefined)[] }
  /** New shape per input shape, -1 to drop. */
  | { kind: typeof OF_TYPE; remap: number[] }
  | { kind: typeof RESOLVE_IS; type: string }
  | { kind: typeof EQUALS; name: string; value: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class ShapeTable {
  readonly shapes: Shape[] = [];
  private readonly index = new Map<string, number>();

  add(shape: Shape): number {
    const k = `${shape.type}\u0000${shape.key}`;
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.shapes.length;
      this.shapes.push(shape);
      this.index.set(k, i);
    }
    return i;
  }
}

/** The model path of element `name` under `shape`, after `pathsDefinedElsewhere` (`Questionnaire.item.item`). */
function elementPath(shape: Shape, name: string): string {
  const path = `${shape.key}.${name}`;
  return r4Model.pathsDefinedElsewhere[path] ?? path;
}

/** The properties `name` may be stored in under `shape`, in `fhirpath`'s order; undefined if unknown. */
function childOptions(shape: Shape, name: string): { prop: string; shape: Shape }[] | undefined {
  // Extensions and children of an abstract Resource (contained, Bundle.entry.resource) are typed
  // at runtime by fhirpath; leave those expressions to it.
  if (name === 'extension' || name === 'modifierExtension' || shape.key === 'Resource') return undefined;
  const path = elementPath(shape, name);
  const choices = r4Model.choiceTypePaths[path];
  if (choices) {
    const out: { prop: string; shape: Shape }[] = [];
    for (const suffix of choices) {
      const typed = path + suffix;
      const type = r4Model.path2Type[typed];
      if (typeof type !== 'string') return undefined;
      out.push({
        prop: name + suffix,
        shape: { type, key: r4Model.path2TypeWithoutElements[typed] ?? typed },
      });
    }
    return out;
  }
  const type = r4Model.path2Type[path];
  if (typeof type !== 'string') return undefined;
  return [{ prop: name, shape: { type, key: r4Model.path2TypeWithoutElements[path] ?? path } }];
}

function compileChild(shapes: readonly Shape[], name: string, next: ShapeTable): Step | undefined {
  const table: (ChildOption[] | undefined)[] = [];
  for (const shape of shapes) {
    const options = childOptions(shape, name);
    if (!options) return undefined;
    table.push(options.map((o) => ({ prop: o.prop, extProp: `_${o.prop}`, out: next.add(o.shape) })));
  }
  return { kind: CHILD, table };
}

/** Compiles one step; returns it and the shapes after it, or undefined when not supported. */
function compileStep(step: PathStep, shapes: readonly Shape[]): { step: Step; shapes: Shape[] } | undefined {
  switch (step.kind) {
    case 'child': {
      const next = new ShapeTable();
      const compiled = compileChild(shapes, step.name, next);
      return compiled && { step: compiled, shapes: next.shapes };
    }
    case 'ofType': {
      // System.* values (Resource.id) follow other `is` rules in fhirpath; not needed by R4 params.
      if (shapes.some((s) => s.type.startsWith('System.'))) return undefined;
      if (!knownTypes.has(step.type)) return undefined;
      // Only the shapes of type T survive; renumber them so later steps see only those.
      const next = new ShapeTable();
      const remap = shapes.map((s) => (isType(s.type, step.type) ? next.add(s) : -1));
      return { step: { kind: OF_TYPE, remap }, shapes: next.shapes };
    }
    case 'whereResolveIs':
      if (shapes.some((s) => s.type !== 'Reference')) return undefined;
      return { step: { kind: RESOLVE_IS, type: step.type }, shapes: [...shapes] };
    case 'whereEquals':
      for (const shape of shapes) {
        const options = childOptions(shape, step.name);
        // A repeating or choice-typed operand makes `=` a collection comparison: leave it to fhirpath.
        if (options?.length !== 1 || r4Model.path2Repeating[elementPath(shape, step.name)]) return undefined;
      }
      return { step: { kind: EQUALS, name: step.name, value: step.value }, shapes: [...shapes] };
  }
}

/** A compiled part: its steps and the types of the shapes it ends in. */
interface CompiledPath {
  steps: Step[];
  resultTypes: string[];
}

function compilePath(path: SimplePath, resourceType: string): CompiledPath | undefined {
  let shapes: Shape[] = [{ type: resourceType, key: resourceType }];
  const steps: Step[] = [];
  for (const step of path.steps) {
    const compiled = compileStep(step, shapes);
    if (!compiled) return undefined;
    steps.push(compiled.step);
    shapes = compiled.shapes;
  }
  return { steps, resultTypes: shapes.map((s) => s.type) };
}

/** Walks `value` (of shape `shape`) through steps[i…], passing what comes out to `sink`. */
function walk(
  path: CompiledPath,
  i: number,
  value: unknown,
  shape: number,
  root: Resource,
  sink: ValueSink,
): void {
  const steps = path.steps;
  for (; i < steps.length; i++) {
    const step = steps[i];
    switch (step.kind) {
      case CHILD: {
        const options = step.table[shape];
        if (!options || !isObject(value)) return;
        let option = options[0];
        if (options.length > 1) {
          let found: ChildOption | undefined;
          for (const o of options) {
            if (value[o.prop] !== undefined || value[o.extProp] !== undefined) {
              found = o;
              break;
            }
          }
          if (!found) return;
          option = found;
        }
        const child = value[option.prop];
        if (child === undefined || child === null) return;
        if (Array.isArray(child)) {
          for (const item of child) {
            if (item !== undefined && item !== null) walk(path, i + 1, item, option.out, root, sink);
          }
          return;
        }
        value = child;
        shape = option.out;
        break;
      }
      case OF_TYPE:
        shape = step.remap[shape];
        if (shape < 0) return;
        break;
      case RESOLVE_IS: {
        if (!referenceMayBe(value, root, step.type)) return;
        break;
      }
      case EQUALS:
        if (!isObject(value) || value[step.name] !== step.value) return;
        break;
    }
  }
  sink(value, path.resultTypes[shape]);
}

/**
 * Compiles one union part for one resource type; `undefined` when it is outside the simple
 * subset (then that part goes to `fhirpath`).
 */
export function compileFast(
  path: SimplePath,
  resourceType: string,
): { evaluate: Evaluator; resultTypes: string[] } | undefined {
  const compiled = compilePath(path, resourceType);
  if (!compiled) return undefined;
  return {
    evaluate: (resource, sink) => walk(compiled, 0, resource, 0, resource, sink),
    resultTypes: [...new Set(compiled.resultTypes)],
  };
}
