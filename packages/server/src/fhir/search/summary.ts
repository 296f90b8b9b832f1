import { badRequest, type Coding, type Resource, topLevelElements } from '@hospitium/fhir';

/** `_summary` values that shape each resource (`count` and `false` do not). */
export type SummaryMode = 'true' | 'text' | 'data';

/** How each resource of a searchset is cut down: `_summary` or `_elements` (at most one applies). */
export interface Subsetting {
  summary?: SummaryMode;
  /** Top-level element names from `_elements`. */
  elements?: string[];
}

/** The tag R4 requires on a resource that is not complete (`_summary`, `_elements`). */
export const subsettedTag: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
};

/** Always kept: without them the resource cannot be identified. */
const alwaysKept = new Set(['resourceType', 'id', 'meta']);

const elementPattern = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * Parses `_elements=a,b` for `resourceType`: each name must be a top-level element of the type
 * (`valueQuantity`, not `value[x]`), else a 400 naming it.
 */
export function parseElements(resourceType: string, value: string): string[] {
  const known = topLevelElements(resourceType)?.all;
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const name of names) {
    if (!elementPattern.test(name) || (known && !known.has(name))) {
      throw badRequest(`_elements: '${name}' is not an element of ${resourceType}`, 'http._elements');
    }
  }
  return names;
}

/**
 * The resource as `_summary` (true: the `isSummary` elements of its R4 definition; text: the
 * narrative and mandatory elements; data: everything but the narrative) or `_elements` (the
 * listed top-level elements) asks, always with `resourceType`, `id` and `meta`, and tagged
 * SUBSETTED. Unchanged when nothing is asked for. Never mutates its argument.
 */
export function subsetResource(resource: Resource, subsetting: Subsetting): Resource {
  const keep = keptElements(resource.resourceType, subsetting);
  if (!keep) return resource;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (alwaysKept.has(key) || keep(key)) out[key] = value;
  }
  const meta = (resource.meta ?? {}) as { tag?: Coding[] };
  const tags = meta.tag ?? [];
  const tagged = tags.some((t) => t.system === subsettedTag.system && t.code === subsettedTag.code);
  out.meta = { ...meta, tag: tagged ? tags : [...tags, subsettedTag] };
  return out as Resource;
}

function keptElements(resourceType: string, s: Subsetting): ((key: string) => boolean) | undefined {
  if (s.summary === 'data') return (key) => key !== 'text';
  const elements = topLevelElements(resourceType);
  if (s.summary === 'true') return (key) => elements?.summary.has(key) ?? false;
  if (s.summary === 'text') return (key) => key === 'text' || (elements?.mandatory.has(key) ?? false);
  if (s.elements) {
    const listed = new Set(s.elements.flatMap((n) => [n, `_${n}`]));
    return (key) => listed.has(key);
  }
  return undefined;
}
