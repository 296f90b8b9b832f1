import type { Bundle, Resource } from '@hospitium/fhir';
import { validateResource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { generatePopulation } from './population.js';

const take = (population: ReturnType<typeof generatePopulation>, n: number): Bundle[] => {
  const out: Bundle[] = [];
  for (const bundle of population.patients()) {
    if (out.length === n) break;
    out.push(bundle);
  }
  return out;
};

/** Every `reference` string in a resource (contained resources included). */
function references(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) references(item, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'reference' && typeof value === 'string') out.push(value);
      else references(value, out);
    }
  }
  return out;
}

/** `Type?identifier=system|value` keys of the shared resources. */
function sharedIdentifiers(shared: Bundle): Set<string> {
  const keys = new Set<string>();
  for (const entry of shared.entry ?? []) {
    const r = entry.resource!;
    for (const id of (r.identifier as { system: string; value: string }[]) ?? []) {
      keys.add(`${r.resourceType}?identifier=${id.system}|${id.value}`);
    }
  }
  return keys;
}

describe('generatePopulation', () => {
  it('is deterministic: the same seed and count give byte-identical bundles', () => {
    const a = generatePopulation({ patients: 12, seed: 'determinism' });
    const b = generatePopulation({ patients: 12, seed: 'determinism' });
    expect(JSON.stringify(a.shared)).toBe(JSON.stringify(b.shared));
    expect(JSON.stringify([...a.patients()])).toBe(JSON.stringify([...b.patients()]));
    // Iterating twice gives the same bundles again (no hidden state between runs).
    expect(JSON.stringify([...a.patients()])).toBe(JSON.stringify([...b.patients()]));
  });

  it('different seeds give different people and hospitals; numbers and strings are both seeds', () => {
    const a = take(generatePopulation({ patients: 5, seed: 1 }), 5);
    const b = take(generatePopulation({ patients: 5, seed: 2 }), 5);
    const names = (bundles: Bundle[]) => bundles.map((p) => JSON.stringify(p.entry![0]!.resource!.name));
    expect(names(a)).not.toEqual(names(b));
    expect(JSON.stringify(generatePopulation({ patients: 1, seed: 1 }).shared)).not.toBe(
      JSON.stringify(generatePopulation({ patients: 1, seed: 2 }).shared),
    );
    expect(JSON.stringify(take(generatePopulation({ patients: 1, seed: 7 }), 1))).toBe(
      JSON.stringify(take(generatePopulation({ patients: 1, seed: '7' }), 1)),
    );
  });

  it('patient i does not depend on the population size, so a larger run extends a smaller one', () => {
    const small = take(generatePopulation({ patients: 3, seed: 's' }), 3);
    const large = take(generatePopulation({ patients: 1000, seed: 's' }), 3);
    expect(JSON.stringify(large)).toBe(JSON.stringify(small));
  });

  it('generates patients lazily: the first bundles of a million-patient population come at once', () => {
    const population = generatePopulation({ patients: 1_000_000, seed: 'lazy' });
    expect(Array.isArray(population.patients())).toBe(false);
    expect(take(population, 2)).toHaveLength(2);
  });

  it('rejects a count that is not a whole number in range, and a malformed as-of date', () => {
    expect(() => generatePopulation({ patients: -1 })).toThrow(/patients must be an integer/);
    expect(() => generatePopulation({ patients: 2.5 })).toThrow(/patients must be an integer/);
    expect(() => generatePopulation({ patients: 1, asOf: '2026/01/01' })).toThrow(/asOf/);
    expect([...generatePopulation({ patients: 0 }).patients()]).toEqual([]);
  });

  it('every resource of 50 patients and of the shared bundle is valid against the R4 definitions', () => {
    const population = generatePopulation({ patients: 50, seed: 'valid' });
    const problems: string[] = [];
    const check = (resource: Resource) => {
      for (const issue of validateResource(resource)) {
        problems.push(`${resource.resourceType}: ${issue.diagnostics ?? JSON.stringify(issue.details)}`);
      }
    };
    for (const entry of population.shared.entry ?? []) check(entry.resource!);
    let resources = 0;
    for (const bundle of population.patients()) {
      expect(bundle.type).toBe('transaction');
      for (const entry of bundle.entry ?? []) {
        resources++;
        check(entry.resource!);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    expect(resources).toBeGreaterThan(50 * 100);
  });

  it('every reference resolves inside the patient bundle or to a shared resource by identifier', () => {
    const population = generatePopulation({ patients: 30, seed: 'refs' });
    const shared = sharedIdentifiers(population.shared);
    const sharedUrls = new Set(population.shared.entry!.map((e) => e.fullUrl));
    for (const entry of population.shared.entry!) {
      expect(entry.request?.method).toBe('PUT');
      expect(shared.has(entry.request!.url)).toBe(true);
      for (const ref of references(entry.resource)) expect(sharedUrls.has(ref), ref).toBe(true);
    }
    for (const bundle of population.patients()) {
      const urls = new Set(bundle.entry!.map((e) => e.fullUrl));
      expect(urls.size).toBe(bundle.entry!.length);
      for (const entry of bundle.entry!) {
        expect(entry.request).toEqual({ method: 'POST', url: entry.resource!.resourceType });
        expect(entry.fullUrl).toMatch(
          /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        for (const ref of references(entry.resource)) {
          if (ref.startsWith('urn:uuid:'))
            expect(urls.has(ref), `${ref} in ${entry.resource!.resourceType}`).toBe(true);
          else expect(shared.has(ref), `${ref} in ${entry.resource!.resourceType}`).toBe(true);
        }
      }
    }
  });

  it('medical record numbers are unique within a population and differ between seeds', () => {
    const mrns = (seed: string) =>
      take(generatePopulation({ patients: 200, seed }), 200).map((b) => {
        const ids = b.entry![0]!.resource!.identifier as { system: string; value: string }[];
        return ids.find((i) => i.system.endsWith('/mrn'))!.value;
      });
    const a = mrns('a');
    expect(new Set(a).size).toBe(200);
    const b = new Set(mrns('b'));
    expect(a.some((m) => b.has(m))).toBe(false);
  });
});
