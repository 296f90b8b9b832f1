import { createRepository, type Database, testDatabases } from '@hospitium/db';
import type { Bundle, Resource } from '@hospitium/fhir';
import { generatePopulation } from '@hospitium/seed';
import { processBundle } from '@hospitium/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBundles } from '../import/importer.js';

const quiet = { error() {}, warn() {}, info() {} };

const countByType = (bundles: Bundle[]) => {
  const counts = new Map<string, number>();
  for (const b of bundles)
    for (const e of b.entry ?? [])
      counts.set(e.resource!.resourceType, (counts.get(e.resource!.resourceType) ?? 0) + 1);
  return counts;
};

describe.each(testDatabases())(
  'a generated population loads through the import path on $name',
  ({ open }) => {
    let db: Database;
    let repository: ReturnType<typeof createRepository>;
    const population = generatePopulation({ patients: 4, seed: 'import' });
    // Bundles are modified in place by the importer (ids, rewritten references): keep pristine copies.
    const patients = () => [...generatePopulation({ patients: 4, seed: 'import' }).patients()];
    const expected = countByType([population.shared, ...patients()]);

    beforeAll(async () => {
      db = await open();
      repository = createRepository(db);
      const ctx = { repository, baseUrl: 'http://localhost:8080/fhir', logger: quiet };
      const process = (bundle: Bundle) => processBundle(bundle, ctx, { prefer: 'return=minimal' });
      const shared = await importBundles([{ name: '_shared', bundle: population.shared }], process, {
        concurrency: 1,
      });
      expect(shared.errors).toEqual([]);
      // Patients go in concurrently and in reverse: they only depend on the shared bundle.
      const summary = await importBundles(
        patients()
          .reverse()
          .map((bundle, i) => ({ name: `patient-${i}`, bundle })),
        process,
        { concurrency: db.kind === 'postgres' ? 3 : 1 },
      );
      expect(summary.errors).toEqual([]);
    }, 180_000);
    afterAll(() => db?.close());

    it('stores every generated resource, with no urn: or conditional reference left', async () => {
      const rows = await db.query<{ resource_type: string; n: number }>(
        'SELECT resource_type, count(*)::int AS n FROM resources WHERE NOT deleted GROUP BY resource_type',
      );
      expect(new Map(rows.rows.map((r) => [r.resource_type, r.n]))).toEqual(expected);
      const unresolved = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM resources WHERE content_text LIKE '%"urn:uuid:%' OR content_text LIKE '%?identifier=%'`,
      );
      expect(unresolved.rows[0]!.n).toBe(0);
    });

    it('finds a patient by medical record number and their vitals, encounters and claims by search', async () => {
      const first = patients()[0]!.entry![0]!.resource!;
      const mrn = (first.identifier as { system: string; value: string }[]).find((i) =>
        i.system.endsWith('/mrn'),
      )!;
      const found = await repository.search({
        resourceType: 'Patient',
        filters: [{ code: 'identifier', values: [`${mrn.system}|${mrn.value}`] }],
      });
      expect(found.resources).toHaveLength(1);
      const patient = found.resources[0]!;
      expect(patient.birthDate).toBe(first.birthDate);

      const subject = `Patient/${patient.id}`;
      const heartRates = await repository.search({
        resourceType: 'Observation',
        filters: [
          { code: 'subject', values: [subject] },
          { code: 'code', values: ['http://loinc.org|8867-4'] },
        ],
        count: 1000,
      });
      const generatedHeartRates = patients()[0]!.entry!.filter(
        (e) =>
          (e.resource!.code as { coding?: { code: string }[] } | undefined)?.coding?.[0]?.code === '8867-4',
      );
      expect(heartRates.resources.length).toBe(generatedHeartRates.length);
      expect(heartRates.resources.length).toBeGreaterThan(0);

      const encounters = await repository.search({
        resourceType: 'Encounter',
        filters: [{ code: 'patient', values: [subject] }],
        count: 1000,
      });
      const claims = await repository.search({
        resourceType: 'ExplanationOfBenefit',
        filters: [{ code: 'patient', values: [subject] }],
        count: 1000,
      });
      expect(claims.resources.length).toBe(encounters.resources.length);

      // Conditional references became ids of the stored practitioners and organisations.
      const encounter = encounters.resources[0]! as Resource & {
        participant: { individual: { reference: string } }[];
      };
      const [type, id] = encounter.participant[0]!.individual.reference.split('/');
      expect(type).toBe('Practitioner');
      const practitioner = await repository.readResource('Practitioner', id!);
      expect((practitioner.identifier as { system: string }[])[0]!.system).toBe(
        'http://hl7.org/fhir/sid/us-npi',
      );
    });

    it('loading the shared bundle again updates it instead of duplicating the hospital', async () => {
      const ctx = { repository, baseUrl: 'http://localhost:8080/fhir', logger: quiet };
      const again = generatePopulation({ patients: 0, seed: 'import' }).shared;
      const summary = await importBundles(
        [{ name: '_shared', bundle: again }],
        (b) => processBundle(b, ctx, {}),
        { concurrency: 1 },
      );
      expect(summary.errors).toEqual([]);
      const practitioners = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM resources WHERE resource_type = 'Practitioner' AND NOT deleted",
      );
      expect(practitioners.rows[0]!.n).toBe(expected.get('Practitioner'));
    });
  },
);
