import type { Bundle, Resource } from '@hospitium/fhir';

/** Spread of one measured quantity across a population. */
export interface ValueSpread {
  count: number;
  p5: number;
  median: number;
  p95: number;
}

/** What a set of patient bundles holds: resources per patient by type, and measured values by LOINC code. */
export interface PopulationProfile {
  patients: number;
  resourcesPerPatient: Record<string, number>;
  /** Observation values (and blood-pressure components) by LOINC code. */
  values: Record<string, ValueSpread>;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

function collectValues(observation: Resource, into: Map<string, number[]>): void {
  const add = (code: unknown, value: unknown) => {
    if (typeof code !== 'string' || typeof value !== 'number') return;
    const list = into.get(code);
    if (list) list.push(value);
    else into.set(code, [value]);
  };
  const codeOf = (concept: unknown) =>
    (concept as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
  add(codeOf(observation.code), (observation.valueQuantity as { value?: number } | undefined)?.value);
  for (const c of (observation.component as { code?: unknown; valueQuantity?: { value?: number } }[]) ?? []) {
    add(codeOf(c.code), c.valueQuantity?.value);
  }
}

/**
 * Profiles patient bundles (generated or Synthea's): the per-patient resource mix and the
 * spread of every observed quantity. Used to compare the generator with real Synthea output.
 */
export function profilePopulation(bundles: Iterable<Bundle>): PopulationProfile {
  let patients = 0;
  const counts = new Map<string, number>();
  const values = new Map<string, number[]>();
  for (const bundle of bundles) {
    patients++;
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource) continue;
      counts.set(resource.resourceType, (counts.get(resource.resourceType) ?? 0) + 1);
      if (resource.resourceType === 'Observation') collectValues(resource, values);
    }
  }
  const resourcesPerPatient: Record<string, number> = {};
  for (const [type, n] of [...counts].sort((a, b) => b[1] - a[1]))
    resourcesPerPatient[type] = n / Math.max(1, patients);
  const spreads: Record<string, ValueSpread> = {};
  for (const [code, list] of values) {
    list.sort((a, b) => a - b);
    spreads[code] = {
      count: list.length,
      p5: quantile(list, 0.05),
      median: quantile(list, 0.5),
      p95: quantile(list, 0.95),
    };
  }
  return { patients, resourcesPerPatient, values: spreads };
}
