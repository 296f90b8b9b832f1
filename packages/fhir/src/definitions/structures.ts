import { readDefinitionFile } from './load.js';

/**
 * The R4 StructureDefinitions (resources and datatypes) reduced to what validation needs.
 * The definition files are large (profiles-resources.json is 35 MB); this index copies out a few
 * fields per element so nothing here keeps the parsed files alive.
 */

/** One snapshot element, reduced. */
export interface ElementInfo {
  /** Definition path, e.g. `Observation.value[x]`. */
  readonly path: string;
  readonly min: number;
  /** `Infinity` for `*`. */
  readonly max: number;
  readonly types: readonly TypeInfo[];
  /** Path of the element whose definition is reused (`Questionnaire.item`), without the `#`. */
  readonly contentReference?: string;
  /** ValueSet canonical (without `|version`) of a required binding. */
  readonly requiredBinding?: string;
  /** True when the element is part of the `_summary=true` view (`isSummary` in the definition). */
  readonly isSummary?: boolean;
}

export interface TypeInfo {
  /** FHIR type code as it appears in JSON choice names (`Quantity`, `dateTime`). */
  readonly code: string;
  /** StructureDefinition that constrains the value: `SimpleQuantity` for a Quantity profiled as such, else `code`. */
  readonly structure: string;
  /**
   * True for the XML attributes `Element.id` and `Extension.url` (System.String in the definitions):
   * plain JSON strings that cannot carry a `_name` extension sibling.
   */
  readonly attribute: boolean;
}

export type StructureKind = 'primitive-type' | 'complex-type' | 'resource' | 'logical';

export interface StructureInfo {
  readonly name: string;
  readonly kind: StructureKind;
  readonly abstract: boolean;
  readonly elements: readonly ElementInfo[];
}

interface RawType {
  code: string;
  profile?: string[];
  extension?: { url: string; valueUrl?: string; valueString?: string }[];
}

interface RawElement {
  path: string;
  min?: number;
  max?: string;
  type?: RawType[];
  contentReference?: string;
  binding?: { strength?: string; valueSet?: string };
  isSummary?: boolean;
}

interface RawStructureDefinition {
  resourceType: string;
  url: string;
  name: string;
  kind: StructureKind;
  abstract?: boolean;
  fhirVersion?: string;
  snapshot?: { element: RawElement[] };
}

interface RawBundle {
  entry?: { resource?: RawStructureDefinition }[];
}

const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const STRUCTURE_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';

interface StructureIndex {
  readonly structures: ReadonlyMap<string, StructureInfo>;
  readonly resourceTypes: readonly string[];
  readonly resourceTypeSet: ReadonlySet<string>;
}

let index: StructureIndex | undefined;

function loadIndex(): StructureIndex {
  const structures = new Map<string, StructureInfo>();
  for (const file of ['profiles-types.json', 'profiles-resources.json'] as const) {
    for (const entry of readDefinitionFile<RawBundle>(file).entry ?? []) {
      const sd = entry.resource;
      // The Medplum package also carries a few R4B (4.3.0) back-ports such as SubscriptionStatus: not R4.
      if (sd?.resourceType !== 'StructureDefinition' || sd.fhirVersion !== '4.0.1' || !sd.snapshot) continue;
      structures.set(sd.name, reduce(sd));
    }
  }
  const resourceTypes = [...structures.values()]
    .filter((s) => s.kind === 'resource' && !s.abstract)
    .map((s) => s.name)
    .sort();
  return { structures, resourceTypes, resourceTypeSet: new Set(resourceTypes) };
}

function reduce(sd: RawStructureDefinition): StructureInfo {
  const rootPath = sd.snapshot!.element[0]?.path ?? sd.name;
  const elements = sd.snapshot!.element.map((el): ElementInfo => {
    // R4 quirk: Resource.id is declared as System.String/string, but the spec (and every server) treats it as `id`.
    const resourceId = sd.kind === 'resource' && el.path === `${rootPath}.id`;
    const info: {
      path: string;
      min: number;
      max: number;
      types: TypeInfo[];
      contentReference?: string;
      requiredBinding?: string;
      isSummary?: boolean;
    } = {
      path: el.path,
      min: el.min ?? 0,
      max: el.max === undefined || el.max === '*' ? Number.POSITIVE_INFINITY : Number(el.max),
      types: resourceId
        ? [{ code: 'id', structure: 'id', attribute: false }]
        : (el.type ?? []).map((t) => reduceType(t)),
    };
    if (el.isSummary) info.isSummary = true;
    if (el.contentReference) info.contentReference = el.contentReference.replace(/^#/, '');
    if (el.binding?.strength === 'required' && el.binding.valueSet) {
      info.requiredBinding = el.binding.valueSet.split('|')[0];
    }
    return info;
  });
  return { name: sd.name, kind: sd.kind, abstract: sd.abstract === true, elements };
}

function reduceType(t: RawType): TypeInfo {
  if (t.code.startsWith('http://hl7.org/fhirpath/System.')) {
    // FHIRPath system types are used for the value of primitives and for the XML attributes id/url.
    const fhirType = t.extension?.find((e) => e.url === FHIR_TYPE_EXTENSION);
    const code = fhirType?.valueUrl ?? fhirType?.valueString ?? 'string';
    return { code, structure: code, attribute: true };
  }
  const profile = t.profile?.find((p) => p.startsWith(STRUCTURE_PREFIX));
  return {
    code: t.code,
    structure: profile ? profile.slice(STRUCTURE_PREFIX.length) : t.code,
    attribute: false,
  };
}

function structureIndex(): StructureIndex {
  index ??= loadIndex();
  return index;
}

/** The reduced StructureDefinition of a resource type or datatype (`Patient`, `HumanName`, `SimpleQuantity`). */
export function structureInfo(name: string): StructureInfo | undefined {
  return structureIndex().structures.get(name);
}

/** Every reduced StructureDefinition (used to collect the required bindings). */
export function allStructures(): Iterable<StructureInfo> {
  return structureIndex().structures.values();
}

/** All concrete R4 resource type names, sorted. */
export function resourceTypeNames(): readonly string[] {
  return structureIndex().resourceTypes;
}

/** True for every concrete R4 resource type name. */
export function isResourceTypeName(name: string): boolean {
  return structureIndex().resourceTypeSet.has(name);
}
