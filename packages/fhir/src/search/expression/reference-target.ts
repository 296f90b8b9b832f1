import { isType, resourceTypes } from '../model/r4-model.js';

/** A FHIR logical id: 1–64 of `[A-Za-z0-9-.]`. */
const ID = '[A-Za-z0-9\\-.]{1,64}';
const RELATIVE = new RegExp(`^([A-Z][A-Za-z]+)/(${ID})(?:/_history/(${ID}))?$`);
/** `scheme://host/any/base/Type/id[/_history/vid]`: the last type/id pair is the target. */
const ABSOLUTE = new RegExp(
  `^[A-Za-z][A-Za-z0-9+.-]*://[^?#]*?/([A-Z][A-Za-z]+)/(${ID})(?:/_history/(${ID}))?$`,
);

export interface ParsedReference {
  type: string;
  id: string;
  version: string | undefined;
}

/**
 * The target type and id of a literal reference: `Patient/123`, `Patient/123/_history/2`,
 * `http://server/fhir/Patient/123`. `undefined` for `#contained`, `urn:uuid:…`, conditional
 * references (`Patient?identifier=…`) and anything whose type is not an R4 resource type.
 */
export function parseReference(reference: string): ParsedReference | undefined {
  const m = RELATIVE.exec(reference) ?? (reference.includes('://') ? ABSOLUTE.exec(reference) : null);
  if (!m || !resourceTypes.has(m[1])) return undefined;
  return { type: m[1], id: m[2], version: m[3] };
}

/**
 * What `resolve()` would return the type of, without a server: the type named in
 * `Reference.reference`; for a `#id` the type of that contained resource in `root`; for a
 * reference with no parseable type (e.g. `urn:uuid:`) the type given in `Reference.type`.
 * Shared by the fast evaluator and the `fhirpath` fallback so `where(resolve() is Patient)`
 * means the same on both paths.
 */
export function referenceTargetType(reference: unknown, root: unknown): string | undefined {
  if (typeof reference !== 'object' || reference === null) return undefined;
  const { reference: ref, type } = reference as { reference?: unknown; type?: unknown };
  if (typeof ref === 'string') {
    if (ref.startsWith('#')) return containedType(root, ref.slice(1));
    const parsed = parseReference(ref);
    if (parsed) return parsed.type;
  }
  return typeof type === 'string' && resourceTypes.has(type) ? type : undefined;
}

function containedType(root: unknown, id: string): string | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const contained = (root as { contained?: unknown }).contained;
  if (!Array.isArray(contained)) return undefined;
  for (const c of contained) {
    if (typeof c === 'object' && c !== null && (c as { id?: unknown }).id === id) {
      const t = (c as { resourceType?: unknown }).resourceType;
      return typeof t === 'string' ? t : undefined;
    }
  }
  return undefined;
}

/**
 * Whether `where(resolve() is <type>)` keeps this Reference: its target is of that type (see
 * `referenceTargetType`), or it is a logical reference — only an `identifier`, no `reference`
 * and no `type` — whose target nothing names. Such a reference cannot be resolved, but dropping
 * it would make `Observation?patient:identifier=MRN|123` miss a lab result that names its
 * patient by MRN alone, the way many interfaces send them; the identifier's system still decides
 * the match. It never yields a reference row (there is no literal target), only its
 * `:identifier` token row.
 */
export function referenceMayBe(reference: unknown, root: unknown, type: string): boolean {
  const target = referenceTargetType(reference, root);
  if (target !== undefined) return isType(target, type);
  return isLogicalOnly(reference);
}

function isLogicalOnly(reference: unknown): boolean {
  if (typeof reference !== 'object' || reference === null) return false;
  const r = reference as { reference?: unknown; type?: unknown; identifier?: unknown };
  return (
    r.reference === undefined &&
    r.type === undefined &&
    typeof r.identifier === 'object' &&
    r.identifier !== null
  );
}

/** `where(resolve() is X)` in an expression handed to `fhirpath`, rewritten to the same rule. */
export const resolveIsPattern = /\.where\(\s*resolve\(\)\s+is\s+([A-Z][A-Za-z]*)\s*\)/g;

/** The fallback's form of `where(resolve() is X)`: also keeps logical-only references (see `referenceMayBe`). */
export function withLogicalReferences(expression: string): string {
  return expression.replace(
    resolveIsPattern,
    (_m, type: string) =>
      `.where(resolve() is ${type} or (reference.empty() and type.empty() and identifier.exists()))`,
  );
}
