import { structureInfo } from './structures.js';

/** The top-level JSON property names of a resource type, split by what `_summary` keeps. */
export interface TopLevelElements {
  /** Every top-level property name (choice elements expanded: `valueQuantity`, `valueString`, …). */
  readonly all: ReadonlySet<string>;
  /** Properties marked `isSummary` in the R4 definition (the `_summary=true` view). */
  readonly summary: ReadonlySet<string>;
  /** Properties with `min` ≥ 1 (kept by `_summary=text`). */
  readonly mandatory: ReadonlySet<string>;
}

const cache = new Map<string, TopLevelElements | undefined>();

/**
 * The top-level elements of `resourceType` from its R4 StructureDefinition, as JSON property
 * names (a choice `value[x]` becomes `valueQuantity`, `valueString`, … for each allowed type,
 * and each primitive also its `_name` sibling). Undefined for an unknown type.
 */
export function topLevelElements(resourceType: string): TopLevelElements | undefined {
  if (cache.has(resourceType)) return cache.get(resourceType);
  const info = structureInfo(resourceType);
  let result: TopLevelElements | undefined;
  if (info?.kind === 'resource') {
    const all = new Set<string>();
    const summary = new Set<string>();
    const mandatory = new Set<string>();
    const prefix = `${resourceType}.`;
    for (const el of info.elements) {
      if (!el.path.startsWith(prefix)) continue;
      const name = el.path.slice(prefix.length);
      if (name.includes('.')) continue;
      const choice = name.endsWith('[x]');
      const names = el.types.flatMap((t) => {
        const n = choice ? name.slice(0, -3) + t.code[0].toUpperCase() + t.code.slice(1) : name;
        // Primitives (lower-case type codes) may carry their id/extensions in a `_name` sibling.
        return /^[a-z]/.test(t.code) ? [n, `_${n}`] : [n];
      });
      if (names.length === 0) names.push(name);
      for (const n of new Set(names)) {
        all.add(n);
        if (el.isSummary) summary.add(n);
        if (el.min > 0) mandatory.add(n);
      }
    }
    result = { all, summary, mandatory };
  }
  cache.set(resourceType, result);
  return result;
}
