import fhirpath from 'fhirpath';
import { readDefinitionFile } from '../../definitions/load.js';
import type { Resource } from '../../types.js';
import type { TypedValue } from '../expression/typed-value.js';
import { r4Model } from '../model/r4-model.js';
import { registeredParams } from '../registry/registry.js';
import type {
  CompositeCell,
  CompositeIndexRow,
  DateIndexRow,
  NumberIndexRow,
  QuantityIndexRow,
  ReferenceIndexRow,
  SearchParamType,
  StringIndexRow,
  TokenIndexRow,
  UriIndexRow,
} from '../types.js';
import { type CompositeTuples, compileCompositePaths } from './composite-paths.js';
import { dateRows } from './date.js';
import { numberRows } from './number.js';
import { quantityRows } from './quantity.js';
import { referenceRows } from './reference.js';
import { stringRows } from './string.js';
import { tokenRows } from './token.js';
import { uriRows } from './uri.js';

/**
 * Composite index rows. A composite SearchParameter (Observation `code-value-quantity`,
 * `component-code-value-quantity` …) pairs values that must come from the same element: its
 * expression selects the elements (`Observation | Observation.component`), each component's
 * expression is evaluated on one element, and every pair of component values of that element is a
 * tuple. Storing tuples at index time is what keeps `8480-6$gt100` from matching a systolic code
 * in one component and a diastolic value in another. Two components, or three for the
 * MolecularSequence coordinate parameters. The expressions are walked by
 * `composite-paths.ts` (plain paths over the R4 model), with HL7's `fhirpath` as the fallback.
 */

interface RawComponent {
  definition: string;
  expression: string;
}

interface RawParam {
  url: string;
  type: SearchParamType;
  component?: RawComponent[];
}

/** One composite parameter of one resource type, compiled. */
interface CompositePlan {
  code: string;
  types: SearchParamType[];
  tuples: CompositeTuples;
}

/** The component types a composite parameter of `resourceType` pairs, or undefined (not composite / unknown). */
export function compositeComponentTypes(resourceType: string, code: string): SearchParamType[] | undefined {
  const def = registeredParams(resourceType).get(code)?.def;
  if (def?.type !== 'composite') return undefined;
  return rawComponents(def.url)?.map((c) => c.type);
}

let byUrl: Map<string, RawParam> | undefined;

function rawParams(): Map<string, RawParam> {
  if (!byUrl) {
    byUrl = new Map();
    const bundle = readDefinitionFile<{ entry: { resource: RawParam }[] }>('search-parameters.json');
    for (const { resource } of bundle.entry) byUrl.set(resource.url, resource);
  }
  return byUrl;
}

/**
 * R4 errata: DocumentReference `relationship` names `relatesto` (a reference) for its `code`
 * component and `relation` (a token) for its `target`; the types follow the expressions here.
 */
const COMPONENT_TYPE_FIXES: Readonly<Record<string, SearchParamType[]>> = {
  'http://hl7.org/fhir/SearchParameter/DocumentReference-relationship': ['token', 'reference'],
};

function rawComponents(url: string): { type: SearchParamType; expression: string }[] | undefined {
  const params = rawParams();
  const fixed = COMPONENT_TYPE_FIXES[url];
  const components = params.get(url)?.component;
  if (!components) return undefined;
  const out: { type: SearchParamType; expression: string }[] = [];
  for (const c of components) {
    const type = fixed?.[out.length] ?? params.get(c.definition)?.type;
    if (!type) return undefined;
    out.push({ type, expression: c.expression });
  }
  return out;
}

const options = { resolveInternalTypes: false } as const;

/**
 * The definitions write `value.as(DateTime)` and `value.as(String)` in a few component
 * expressions; in the R4 model those FHIR primitives are `dateTime` and `string`, and `fhirpath`
 * finds nothing under the capitalised (System) names.
 */
function primitiveNames(expression: string): string {
  return expression.replace(
    /\.as\((DateTime|String|Boolean|Integer|Decimal|Uri|Date)\)/g,
    (_, t: string) => `.as(${t[0].toLowerCase()}${t.slice(1)})`,
  );
}
const plans = new Map<string, CompositePlan[]>();

/** The slow path, for expressions `compileCompositePaths` does not take: HL7's `fhirpath`. */
function fhirpathTuples(root: string, components: readonly string[]): CompositeTuples | undefined {
  try {
    const selectRoot = fhirpath.compile(root, r4Model, options);
    const selectComponents = components.map((c) => fhirpath.compile(primitiveNames(c), r4Model, options));
    // `%resource` (the MolecularSequence coordinates read the chromosome from the resource while
    // walking its variants) is the indexed resource, not the element being walked.
    return (resource) =>
      (selectRoot(resource) as unknown[]).map((node) =>
        selectComponents.map((select) => typedValues(select(node as Resource, { resource }) as unknown[])),
      );
  } catch {
    // An expression fhirpath cannot compile indexes nothing; the other parameters still do.
    return undefined;
  }
}

function typedValues(nodes: unknown[]): TypedValue[] {
  const values = fhirpath.resolveInternalTypes(nodes) as unknown[];
  const types = fhirpath.types(nodes);
  return values.map((value, i) => {
    const t = types[i] ?? '';
    return { value, type: t.startsWith('FHIR.') ? t.slice(5) : t };
  });
}

function planFor(resourceType: string): CompositePlan[] {
  let plan = plans.get(resourceType);
  if (plan) return plan;
  plan = [];
  for (const { def } of registeredParams(resourceType).values()) {
    if (def.type !== 'composite' || !def.expression) continue;
    const components = rawComponents(def.url);
    if (components === undefined || components.length < 2 || components.length > 3) continue;
    const expressions = components.map((c) => c.expression);
    const tuples =
      compileCompositePaths(resourceType, def.expression, expressions) ??
      fhirpathTuples(def.expression, expressions);
    if (tuples) plan.push({ code: def.code, types: components.map((c) => c.type), tuples });
  }
  plans.set(resourceType, plan);
  return plan;
}

const emptyCell = (): CompositeCell => ({
  system: null,
  code: null,
  value: null,
  start: null,
  end: null,
  text: null,
});

/** The cells one component value gives, through the row builder of the component's type. */
function cellsOf(type: SearchParamType, value: unknown, valueType: string): CompositeCell[] {
  switch (type) {
    case 'token': {
      const rows: TokenIndexRow[] = [];
      tokenRows('', value, valueType, rows);
      return rows.map((r) => ({ ...emptyCell(), system: r.system, code: r.code }));
    }
    case 'quantity': {
      const rows: QuantityIndexRow[] = [];
      quantityRows('', value, valueType, rows);
      return rows.map((r) => ({
        ...emptyCell(),
        value: r.value,
        system: r.system,
        code: r.code,
        text: r.unit,
      }));
    }
    case 'number': {
      const rows: NumberIndexRow[] = [];
      numberRows('', value, valueType, rows);
      return rows.map((r) => ({ ...emptyCell(), value: r.value }));
    }
    case 'date': {
      const rows: DateIndexRow[] = [];
      dateRows('', value, valueType, rows);
      return rows.map((r) => ({ ...emptyCell(), start: r.start, end: r.end }));
    }
    case 'string': {
      const rows: StringIndexRow[] = [];
      stringRows('', value, valueType, rows);
      return rows.map((r) => ({ ...emptyCell(), text: r.value }));
    }
    case 'reference': {
      const rows: ReferenceIndexRow[] = [];
      referenceRows('', value, valueType, rows);
      return rows.map((r) => ({ ...emptyCell(), system: r.targetType, code: r.targetId, text: r.url }));
    }
    case 'uri': {
      const rows: UriIndexRow[] = [];
      uriRows('', value, valueType, rows);
      return rows.map((r) => ({ ...emptyCell(), text: r.value }));
    }
    default:
      return [];
  }
}

const cellKey = (c: CompositeCell): string =>
  `${c.system}\u0000${c.code}\u0000${c.value}\u0000${c.start}\u0000${c.end}\u0000${c.text}`;

/** Every combination of one cell per component (the cartesian product). */
function combinations(cells: CompositeCell[][]): CompositeCell[][] {
  let out: CompositeCell[][] = [[]];
  for (const options of cells) out = out.flatMap((prefix) => options.map((cell) => [...prefix, cell]));
  return out;
}

/**
 * The composite rows of a resource: per composite parameter, per element its expression selects,
 * every combination of its component values (one from each component) on that element. Never throws.
 */
export function compositeRows(resource: Resource): CompositeIndexRow[] {
  const out: CompositeIndexRow[] = [];
  for (const plan of planFor(resource.resourceType)) {
    const seen = new Set<string>();
    try {
      for (const values of plan.tuples(resource)) {
        const cells = values.map((list, i) => list.flatMap((v) => cellsOf(plan.types[i], v.value, v.type)));
        for (const [c1, c2, c3] of combinations(cells)) {
          const key = [c1, c2, c3].map((c) => (c ? cellKey(c) : '')).join('\u0001');
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(c3 ? { param: plan.code, c1, c2, c3 } : { param: plan.code, c1, c2 });
        }
      }
    } catch {
      // Odd data in one parameter: skip it, index the rest.
    }
  }
  return out;
}
