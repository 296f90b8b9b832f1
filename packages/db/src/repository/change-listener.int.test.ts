import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../engine/types.js';
import { testDatabases } from '../testing/databases.js';
import { testPatient } from '../testing/fixtures.js';
import { createRepository } from './repository.js';
import type { Repository, ResourceChange } from './types.js';

/** Records each change as `before-version→after-version` and writes a row in the same transaction. */
function recorder() {
  const seen: string[] = [];
  const listener = async (q: Queryable, changes: readonly ResourceChange[]) => {
    for (const c of changes) {
      const ref = `${(c.after ?? c.before)?.resourceType}/${(c.after ?? c.before)?.id}`;
      seen.push(`${ref} ${c.before?.meta?.versionId ?? '-'}→${c.after?.meta?.versionId ?? '-'}`);
      await q.query('INSERT INTO listener_probe (ref) VALUES ($1)', [ref]);
    }
  };
  return { seen, listener };
}

describe.each(testDatabases())('change listener on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;
  const { seen, listener } = recorder();
  const probeRows = async () =>
    (await db.query<{ ref: string }>('SELECT ref FROM listener_probe ORDER BY n')).rows.map((r) => r.ref);

  beforeAll(async () => {
    db = await open();
    await db.query('CREATE TABLE listener_probe (n serial PRIMARY KEY, ref text NOT NULL)');
    repo = createRepository(db, { onChange: listener });
  });
  afterAll(() => db?.close());

  it('sees creates, updates (with the replaced version) and deletes, inside the write', async () => {
    const created = await repo.createResource(testPatient({ family: 'Listen' }), { id: 'cl1' });
    await repo.updateResource({ ...created, gender: 'male' } as Resource);
    await repo.deleteResource('Patient', 'cl1');
    await repo.deleteResource('Patient', 'cl1');
    expect(seen).toEqual(['Patient/cl1 -→1', 'Patient/cl1 1→2', 'Patient/cl1 2→-']);
    expect(await probeRows()).toEqual(['Patient/cl1', 'Patient/cl1', 'Patient/cl1']);
  });

  it('a listener with types hears only those; other writes skip it', async () => {
    const heard: string[] = [];
    const typed = Object.assign(
      async (_q: Queryable, changes: readonly ResourceChange[]) => {
        for (const c of changes) heard.push(`${(c.after ?? c.before)?.resourceType} ${c.before ? 'u' : 'c'}`);
      },
      { types: new Set(['Encounter']) },
    );
    const narrow = createRepository(db, { onChange: typed });
    const patient = await narrow.createResource(testPatient({ family: 'Typed' }));
    await narrow.updateResource({ ...patient, gender: 'female' } as Resource);
    const encounter = await narrow.createResource({
      resourceType: 'Encounter',
      status: 'planned',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patient.id}` },
    });
    await narrow.updateResource({ ...encounter, status: 'arrived' } as Resource);
    await narrow.deleteResource('Patient', patient.id as string);
    expect(heard).toEqual(['Encounter c', 'Encounter u']);
  });

  it('rolls back what it wrote with a failed transaction, and fails the write when it throws', async () => {
    const before = (await probeRows()).length;
    await expect(
      repo.withTransaction(async (tx) => {
        await tx.createResource(testPatient(), { id: 'cl2' });
        throw new Error('abort');
      }),
    ).rejects.toThrow();
    expect(await probeRows()).toHaveLength(before);
    const failing = createRepository(db, {
      onChange: async () => {
        throw new Error('listener refused');
      },
    });
    await expect(failing.createResource(testPatient(), { id: 'cl3' })).rejects.toThrow();
    await expect(repo.readResource('Patient', 'cl3')).rejects.toThrow(/not found/);
  });
});
