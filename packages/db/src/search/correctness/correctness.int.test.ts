import { corpusDir, corpusMissingReason } from '@hospitium/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../engine/types.js';
import { createRepository } from '../../repository/repository.js';
import type { Repository } from '../../repository/types.js';
import { testDatabases } from '../../testing/databases.js';
import { Coverage, describeMismatch, runSql, type SqlOutcome, sameIds } from './compare.js';
import { type GeneratedQuery, generateQueries, queryLabel } from './generate/queries.js';
import { InMemorySearch } from './in-memory-search.js';
import { loadExamples, loadSynthea, readBack, syntheaFiles } from './load-corpus.js';

/**
 * The correctness proof of the search engine (issue 3 item 7): a few hundred seeded queries
 * over real Synthea patients, each answered by the SQL engine and by an independent in-memory
 * evaluation of the same SearchParameter expressions (HL7 `fhirpath` + the R4 matching rules,
 * see `in-memory-search.ts`). The id sets must be equal.
 */

const resourceTypes = [
  'Patient',
  'Observation',
  'Encounter',
  'Condition',
  'MedicationRequest',
  'Immunization',
  'Procedure',
  'Claim',
  'DiagnosticReport',
  'CarePlan',
  'AllergyIntolerance',
  'Organization',
  'Practitioner',
  'Location',
];

/** Fixed so runs are comparable; `HOSPITIUM_SEARCH_SEED` explores other query sets. */
const SEED = Number(process.env.HOSPITIUM_SEARCH_SEED ?? 20_260_302);

/**
 * Differences where the in-memory evaluator follows R4 and the product does not, kept until the
 * product is fixed. `explains` recognises exactly that bug (the SQL answer equals the in-memory
 * one under the product's reading), not merely the query's shape; `reproduce` builds a query
 * from the loaded data that must still differ, so a fix fails the test until its entry goes.
 */
interface KnownDiscrepancy {
  name: string;
  reason: string;
  explains(q: GeneratedQuery, sql: SqlOutcome, store: InMemorySearch): boolean;
  reproduce(store: InMemorySearch): GeneratedQuery | undefined;
}

/**
 * Product behaviour that differs from R4 on purpose or by a bug not yet fixed, each with the
 * reading that explains it. Empty: the six found when this test was written (date ge/le, token
 * :text escaping, accents and displays, #contained references and :missing, exact number
 * bounds) are fixed; add an entry only with its reason, and remove it when it is fixed.
 */
const knownDiscrepancies: KnownDiscrepancy[] = [];

describe.skipIf(!corpusDir).each(testDatabases())(
  `search results equal an independent FHIRPath evaluation on $name${corpusDir ? '' : ` (${corpusMissingReason})`}`,
  ({ open }) => {
    let db: Database;
    let repo: Repository;
    let store: InMemorySearch;
    let queries: GeneratedQuery[];

    beforeAll(async () => {
      db = await open();
      repo = createRepository(db);
      const order = await loadSynthea(repo, syntheaFiles(8));
      const examples = await loadExamples(repo);
      const exampleTypes = [...new Set(examples.stored.map((key) => key.split('/')[0]))]
        .filter((t) => !resourceTypes.includes(t))
        .sort();
      const all = [...resourceTypes, ...exampleTypes];
      store = new InMemorySearch(await readBack(repo, all, [...order, ...examples.stored]));
      queries = [
        ...generateQueries(store, resourceTypes, { seed: SEED, perParameter: 3, combinationsPerType: 4 }),
        // The examples add breadth (every resource type, uri and number parameters, Money):
        // one query per parameter that has data.
        ...generateQueries(store, exampleTypes, {
          seed: SEED,
          perParameter: 1,
          combinationsPerType: 0,
          skipEmptyParameters: true,
        }),
      ];
      if (examples.refused.length > 0)
        console.info(`examples refused by the validator: ${examples.refused.join(' ')}`);
    });
    afterAll(() => db?.close());

    it('every generated query returns exactly the ids the in-memory evaluation finds', async () => {
      const mismatches: string[] = [];
      const known = new Map<string, number>();
      const coverage = new Coverage();
      let nonEmpty = 0;
      for (const q of queries) {
        const expected = store.search(q.resourceType, q.filters);
        if (expected.size > 0) nonEmpty++;
        coverage.add(store, q, expected.size > 0);
        const sql = await runSql(repo, q);
        if ('ids' in sql && sameIds(sql.ids, expected)) continue;
        const k = knownDiscrepancies.find((d) => d.explains(q, sql, store));
        if (k) known.set(k.name, (known.get(k.name) ?? 0) + 1);
        else mismatches.push(describeMismatch(store, q, expected, sql));
      }
      const summary =
        `${queries.length} queries over ${store.resourceCount} resources: ${nonEmpty} non-empty, ` +
        `${mismatches.length} mismatches, known discrepancies ${JSON.stringify(Object.fromEntries(known))}\n` +
        `per parameter type (non-empty/queries): ${coverage}`;
      console.info(summary);
      expect(mismatches, `${summary}\n${mismatches.slice(0, 15).join('\n')}`).toEqual([]);
      expect(queries.length).toBeGreaterThanOrEqual(300);
      expect(nonEmpty / queries.length).toBeGreaterThan(0.4);
    });

    it.each(knownDiscrepancies)('known discrepancy still reproduces: $name', async (k) => {
      const q = k.reproduce(store);
      expect(q, 'the corpus no longer holds data to reproduce it').toBeDefined();
      if (!q) return;
      const expected = store.search(q.resourceType, q.filters);
      const sql = await runSql(repo, q);
      const differs = !('ids' in sql && sameIds(sql.ids, expected));
      expect(differs, `${queryLabel(q)} now agrees with R4: remove "${k.name}" from knownDiscrepancies`).toBe(
        true,
      );
      expect(k.explains(q, sql, store), describeMismatch(store, q, expected, sql)).toBe(true);
    });
  },
);
