import { corpusDir, corpusMissingReason, listCorpus, readCorpusJson } from '@hospitium/test-support';
import { describe, expect, it } from 'vitest';
import { isResource, type Resource } from '../../types.js';
import { registeredParams } from '../registry/registry.js';
import { compileFallback } from './fallback.js';
import { compileFast } from './fast.js';
import { parseSimplePath } from './parse.js';
import { collectValues, type Evaluator, type TypedValue } from './typed-value.js';

/**
 * Proof of the fast path: for every resource of the corpus and every search-parameter
 * expression part the fast evaluator handles, it selects exactly the values (same order, same
 * JSON, same type) that HL7's `fhirpath` selects for that part.
 */

function resourcesOf(root: unknown): Resource[] {
  if (!isResource(root)) return [];
  const out: Resource[] = [root];
  if (root.resourceType === 'Bundle' && Array.isArray(root.entry)) {
    for (const e of root.entry as { resource?: unknown }[]) out.push(...resourcesOf(e.resource));
  }
  return out;
}

function corpusResources(): Resource[] {
  const out: Resource[] = [];
  for (const f of listCorpus('fhir-examples', 'r4'))
    out.push(...resourcesOf(readCorpusJson(`fhir-examples/r4/${f}`)));
  // Every third patient bundle, and the hospital and practitioner bundles.
  const synthea = listCorpus('synthea', 'fhir-r4').filter((f, i) => f.startsWith('_') || i % 3 === 0);
  for (const f of synthea) out.push(...resourcesOf(readCorpusJson(`synthea/fhir-r4/${f}`)));
  return out;
}

/** `(X as T)` → `X.ofType(T)`, `.as(T)` → `.ofType(T)`: `fhirpath` refuses `as` on several values. */
function asToOfType(part: string): string {
  return part.replace(/^\((.*) as (\w+)\)/, '$1.ofType($2)').replace(/\.as\((\w+)\)/g, '.ofType($1)');
}

interface PartPair {
  label: string;
  fast: Evaluator;
  reference: Evaluator;
  referenceOfType: Evaluator;
}

const pairs = new Map<string, PartPair[]>();

function pairsFor(resourceType: string): PartPair[] {
  let list = pairs.get(resourceType);
  if (list) return list;
  list = [];
  for (const { def, compiled } of registeredParams(resourceType).values()) {
    for (const part of compiled?.fastParts ?? []) {
      const simple = parseSimplePath(part);
      const fast = simple && compileFast(simple, resourceType);
      if (!fast) throw new Error(`registry says fast but it does not compile: ${part}`);
      list.push({
        label: `${resourceType}.${def.code}: ${part}`,
        fast: fast.evaluate,
        reference: compileFallback(part),
        referenceOfType: compileFallback(asToOfType(part)),
      });
    }
  }
  pairs.set(resourceType, list);
  return list;
}

describe.skipIf(!corpusDir)(
  `fast evaluator ≡ fhirpath over the corpus${corpusDir ? '' : ` (${corpusMissingReason})`}`,
  () => {
    it('selects the same values, in the same order, with the same types', () => {
      const resources = corpusResources();
      let comparisons = 0;
      let nonEmpty = 0;
      let asRewrites = 0;
      const mismatches: string[] = [];
      const types = new Set<string>();
      for (const resource of resources) {
        const before = JSON.stringify(resource);
        for (const pair of pairsFor(resource.resourceType)) {
          let expected: TypedValue[];
          try {
            expected = collectValues(pair.reference, resource);
          } catch (err) {
            if (!String(err).includes("left side of 'as'")) throw err;
            asRewrites++;
            expected = collectValues(pair.referenceOfType, resource);
          }
          const actual = collectValues(pair.fast, resource);
          comparisons++;
          if (actual.length > 0) nonEmpty++;
          if (actual.length > 0) types.add(resource.resourceType);
          try {
            expect(actual).toEqual(expected);
          } catch {
            mismatches.push(`${resource.resourceType}/${resource.id} ${pair.label}`);
          }
        }
        // Neither evaluator may write into the resource.
        expect(JSON.stringify(resource)).toBe(before);
      }
      expect(mismatches).toEqual([]);
      expect(resources.length).toBeGreaterThan(1000);
      expect(nonEmpty).toBeGreaterThan(10_000);
      console.info(
        `equivalence: ${resources.length} resources, ${comparisons} part evaluations, ${nonEmpty} non-empty, ` +
          `${asRewrites} compared via ofType (fhirpath rejects 'as' on several values), ${types.size} resource types`,
      );
      expect(comparisons).toBeGreaterThan(50_000);
    });
  },
);
