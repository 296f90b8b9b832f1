import type { Model } from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

/**
 * The R4 type model shipped with HL7's `fhirpath` package (element paths → types, choice-type
 * suffixes, type hierarchy). The fast evaluator navigates with exactly the tables `fhirpath`
 * itself uses, so both paths agree on which JSON property an element lives in and what type
 * it has. Treat everything here as read-only.
 */
export const r4Model: Model = r4;

/** `type2Parent` also lists datatypes; a resource type is one whose ancestry reaches `Resource`. */
function buildResourceTypes(): ReadonlySet<string> {
  const types = new Set<string>();
  for (const name of Object.keys(r4Model.type2Parent)) {
    if (name === 'DomainResource') continue;
    let t: string | undefined = name;
    while (t) {
      if (t === 'Resource') {
        types.add(name);
        break;
      }
      t = r4Model.type2Parent[t];
    }
  }
  return types;
}

/** The 146 concrete R4 resource types (Account … VisionPrescription, incl. Bundle, Binary, Parameters). */
export const resourceTypes: ReadonlySet<string> = buildResourceTypes();

/** Every type name the model knows (datatypes, primitives, resources), for validating `as T`. */
export const knownTypes: ReadonlySet<string> = new Set([
  ...Object.keys(r4Model.type2Parent),
  ...Object.values(r4Model.type2Parent),
]);

/** True when `type` is `superType` or derives from it (`SimpleQuantity` is a `Quantity`, `Patient` a `Resource`). */
export function isType(type: string, superType: string): boolean {
  let t: string | undefined = type;
  while (t) {
    if (t === superType) return true;
    t = r4Model.type2Parent[t];
  }
  return false;
}

/** `Resource` and `DomainResource` (for everything but Bundle, Binary, Parameters) plus the type itself. */
export function typeAndAncestors(resourceType: string): string[] {
  const out: string[] = [];
  let t: string | undefined = resourceType;
  while (t) {
    out.push(t);
    t = r4Model.type2Parent[t];
  }
  return out;
}
