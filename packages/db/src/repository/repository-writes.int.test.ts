/** The repository contract, part two: index rows on update, transactions, bulk creates. */
import type { Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { testDatabases } from '../testing/databases.js';
import { testObservation, testPatient } from '../testing/fixtures.js';
import { countQueries } from '../testing/query-counter.js';
import { failure, repositoryHarness } from '../testing/repository-harness.js';
import { createRepository } from './repository.js';
import type { Repository } from './types.js';

describe.each(testDatabases())('repository contract (indexes, transactions, bulk) on $name', ({ open }) => {
  let db: Database, repo: Repository;
  repositoryHarness(open, (opened) => ({ db, repo } = opened));

  describe('index rows on update', () => {
    /**
     * Every index row of one resource as comparable strings (table and values), without the rows
     * that differ between two resources of the same content (`_id`, `_lastUpdated`, and the text
     * vectors, which hold the id's pieces; searches check those).
     */
    async function indexRows(id: string): Promise<string[]> {
      const tables = ['idx_token', 'idx_string', 'idx_date', 'idx_reference'];
      const rows: string[] = [];
      for (const table of tables) {
        const result = await db.query<Record<string, unknown>>(
          `SELECT t.* FROM ${table} t JOIN resources r ON r.rid = t.rid WHERE r.id = $1`,
          [id],
        );
        for (const row of result.rows) {
          const { rid: _rid, ...values } = row;
          if (values.param === '_id' || values.param === '_lastUpdated') continue;
          rows.push(`${table} ${JSON.stringify(values)}`);
        }
      }
      return rows.sort();
    }

    it('keeps the rows both versions share, adds the new ones and drops the old ones, as a fresh write would', async () => {
      const first = await repo.createResource(testPatient({ family: 'Rowdiff', given: 'Anna' }));
      const before = await indexRows(first.id!);
      const changed = {
        ...first,
        name: [{ family: 'Rowdiff', given: ['Berta'] }],
        gender: 'female',
        birthDate: '1971-02-03',
      } as Resource;
      await repo.updateResource(changed);
      const after = await indexRows(first.id!);
      // What a first write of the same content stores: the reference for the diffed rows.
      const fresh = await repo.createResource({ ...changed, id: undefined } as Resource);
      expect(after).toEqual(await indexRows(fresh.id!));
      expect(after).not.toEqual(before);
      const found = async (code: string, value: string) =>
        (await repo.search({ resourceType: 'Patient', filters: [{ code, values: [value] }] })).resources
          .map((r) => r.id)
          .includes(first.id!);
      expect(await found('given', 'berta')).toBe(true);
      expect(await found('given', 'anna')).toBe(false);
      expect(await found('family', 'rowdiff')).toBe(true);
      expect(await found('_text', 'berta')).toBe(false); // no narrative
      expect(await found('_content', 'berta')).toBe(true);
      expect(await found('_content', 'anna')).toBe(false);
      // A delete marker removes every row; reviving writes them all again.
      await repo.deleteResource('Patient', first.id!);
      expect(await indexRows(first.id!)).toEqual([]);
      const text = await db.query(
        'SELECT 1 FROM idx_text t JOIN resources r ON r.rid = t.rid WHERE r.id = $1',
        [first.id!],
      );
      expect(text.rows).toEqual([]);
      await repo.updateResource(changed);
      expect(await indexRows(first.id!)).toEqual(after);
    });

    it('writes nothing when it loses the race: the retry writes the next version on top', async () => {
      const p = await repo.createResource(testPatient({ family: 'Racer' }));
      const updates = Array.from({ length: 8 }, (_, i) =>
        repo.updateResource({ ...p, name: [{ family: `Racer${i}` }] } as Resource),
      );
      const results = await Promise.all(updates);
      const versions = results.map((r) => Number(r.resource.meta?.versionId)).sort((a, b) => a - b);
      expect(versions).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
      const last = results.find((r) => r.resource.meta?.versionId === '9')!;
      const current = await repo.readResource('Patient', p.id!);
      expect(current).toEqual(last.resource);
      const rows = await indexRows(p.id!);
      const families = rows.filter((r) => r.includes('"family"'));
      expect(families).toHaveLength(1);
      expect(families[0]).toContain(
        (last.resource as unknown as { name: { family: string }[] }).name[0].family.toLowerCase(),
      );
    });
  });

  describe('transactions', () => {
    it('rolls back everything when the work throws midway', async () => {
      const kept = await repo.createResource(testPatient({ family: 'Kept' }));
      await expect(
        repo.withTransaction(async (tx) => {
          await tx.createResource(testPatient({ family: 'Rolled' }), { id: 'rolled-back' });
          await tx.updateResource({ ...kept, active: false });
          await tx.deleteResource('Patient', kept.id!);
          throw new Error('boom');
        }),
      ).rejects.toThrow();
      expect(await failure(repo.readResource('Patient', 'rolled-back'))).toMatchObject({ status: 404 });
      expect(await repo.readResource('Patient', kept.id!)).toEqual(kept);
      expect((await repo.history({ resourceType: 'Patient', id: kept.id })).total).toBe(1);
    });

    it('commits all writes together, sees its own writes, and nested calls reuse it', async () => {
      const result = await repo.withTransaction(async (tx) => {
        const patient = await tx.createResource(testPatient({ family: 'Inside' }));
        const obs = await tx.withTransaction((nested) =>
          nested.createResource(testObservation({ patientId: patient.id })),
        );
        const seen = await tx.readResource('Patient', patient.id!);
        return { patient, obs, seen };
      });
      expect(result.seen).toEqual(result.patient);
      expect(await repo.readResource('Observation', result.obs.id!)).toEqual(result.obs);
    });

    it('turns a failed statement inside a transaction into an OperationOutcome and rolls back', async () => {
      await repo.createResource(testPatient(), { id: 'tx-dup' });
      const err = await failure(
        repo.withTransaction(async (tx) => {
          await tx.createResource(testPatient(), { id: 'tx-new' });
          await tx.createResource(testPatient(), { id: 'tx-dup' });
        }),
      );
      expect(err.status).toBe(409);
      expect(await failure(repo.readResource('Patient', 'tx-new'))).toMatchObject({ status: 404 });
    });
  });

  describe('createResources (bulk)', () => {
    it('stores a batch in one statement and reads every member back', async () => {
      const counter = countQueries(db);
      const bulk = createRepository(counter.db);
      const batch = Array.from({ length: 120 }, (_, i) => testObservation({ patientId: 'bulk', value: i }));
      const created = await bulk.createResources(batch);
      expect(counter.statements).toHaveLength(1);
      expect(created).toHaveLength(120);
      expect(new Set(created.map((r) => r.id)).size).toBe(120);
      const sample = await repo.readResource('Observation', created[57].id!);
      expect(sample).toEqual(created[57]);
      expect((sample.valueQuantity as { value: number }).value).toBe(57);
    });

    it('uses given ids and mixes resource types', async () => {
      const created = await repo.createResources([testPatient(), testObservation({ patientId: 'bulk-p' })], {
        ids: ['bulk-p', undefined as unknown as string],
      });
      expect(created[0].id).toBe('bulk-p');
      expect(await repo.readResource('Observation', created[1].id!)).toEqual(created[1]);
    });

    it('stores nothing when one member is invalid or a duplicate', async () => {
      const invalid = [testPatient(), { resourceType: 'Patient', gender: 42 } as Resource];
      expect(await failure(repo.createResources(invalid, { ids: ['bulk-a', 'bulk-b'] }))).toMatchObject({
        status: 400,
      });
      expect(await failure(repo.readResource('Patient', 'bulk-a'))).toMatchObject({ status: 404 });
      await repo.createResource(testPatient(), { id: 'bulk-taken' });
      const taken = repo.createResources([testPatient(), testPatient()], { ids: ['bulk-c', 'bulk-taken'] });
      expect(await failure(taken)).toMatchObject({ status: 409 });
      expect(await failure(repo.readResource('Patient', 'bulk-c'))).toMatchObject({ status: 404 });
      const twice = repo.createResources([testPatient(), testPatient()], { ids: ['bulk-d', 'bulk-d'] });
      expect(await failure(twice)).toMatchObject({ status: 409 });
    });

    it('accepts an empty batch', async () => {
      expect(await repo.createResources([])).toEqual([]);
    });
  });
});
