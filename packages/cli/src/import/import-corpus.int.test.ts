import { createRepository, testDatabases } from '@hospitium/db';
import type { Bundle } from '@hospitium/fhir';
import { internalAccess, processBundle } from '@hospitium/server';
import { corpusDir, corpusMissingReason, corpusPath, readCorpusJson } from '@hospitium/test-support';
import { describe, expect, it } from 'vitest';
import { expandInputs } from '../commands/import.js';
import { importFiles } from './importer.js';

const quiet = { error() {}, warn() {}, info() {} };

/** Counts resources per type in the corpus bundles, independently of the importer. */
function expectedCounts(files: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of files) {
    const bundle = readCorpusJson<Bundle>('synthea', 'fhir-r4', file.split('/').pop()!);
    for (const e of bundle.entry ?? []) {
      const type = e.resource!.resourceType;
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
  }
  return counts;
}

describe.skipIf(!corpusDir)(
  `import of the 30 Synthea corpus patients${corpusDir ? '' : ` — skipped: ${corpusMissingReason}`}`,
  () => {
    describe.each(testDatabases())('on $name', ({ open }) => {
      it('stores every resource with zero errors, with references rewritten to stored ids', async () => {
        const db = await open();
        try {
          const repository = createRepository(db);
          const ctx = {
            repository,
            baseUrl: 'http://localhost:8080/fhir',
            logger: quiet,
            access: internalAccess,
          };
          const files = expandInputs([corpusPath('synthea', 'fhir-r4')], process.cwd());
          expect(files).toHaveLength(32);
          expect(files[0]).toMatch(/[/\\]_/);

          const summary = await importFiles(
            files,
            (bundle) => processBundle(bundle, ctx, { prefer: 'return=minimal' }),
            { concurrency: db.kind === 'postgres' ? 4 : 1 },
          );
          expect(summary.errors).toEqual([]);
          const expected = expectedCounts(files);
          const total = [...expected.values()].reduce((a, b) => a + b, 0);
          expect(summary.resources).toBe(total);

          const rows = await db.query<{ resource_type: string; n: number }>(
            'SELECT resource_type, count(*)::int AS n FROM resources WHERE NOT deleted GROUP BY resource_type',
          );
          expect(new Map(rows.rows.map((r) => [r.resource_type, r.n]))).toEqual(expected);

          // Every reference to a Patient points at a stored Patient (urn:uuid rewritten).
          const dangling = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM idx_reference r
            WHERE r.target_type = 'Patient'
              AND NOT EXISTS (SELECT 1 FROM resources p WHERE p.resource_type = 'Patient' AND p.id = r.target_id)`,
          );
          expect(dangling.rows[0]!.n).toBe(0);
          const urns = await db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM resources WHERE content_text LIKE '%\"urn:uuid:%'",
          );
          expect(urns.rows[0]!.n).toBe(0);

          // A patient's observations are found through the patient reference parameter.
          const patient = (await repository.search({ resourceType: 'Patient', filters: [], count: 1 }))
            .resources[0]!;
          const observations = await repository.search({
            resourceType: 'Observation',
            filters: [{ code: 'subject', values: [`Patient/${patient.id}`] }],
            count: 1000,
          });
          const perPatient = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM resources WHERE resource_type = 'Observation'
             AND content->'subject'->>'reference' = $1`,
            [`Patient/${patient.id}`],
          );
          expect(observations.resources.length).toBe(perPatient.rows[0]!.n);
        } finally {
          await db.close();
        }
      }, 180_000);
    });
  },
);
