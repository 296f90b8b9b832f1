import { isOperationOutcomeError } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { testDatabases } from '../testing/databases.js';
import { testObservation, testPatient } from '../testing/fixtures.js';
import { createRepository } from './repository.js';
import type { HistoryEntry, Repository } from './types.js';

const label = (e: HistoryEntry) => `${e.resourceType}/${e.id}/${e.versionId}`;
/** Keeps consecutive writes in distinct milliseconds, so "newest first" has one right answer. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

describe.each(testDatabases())('history on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;
  /** An instant after all setup writes, and the lastUpdated of Observation/o1 (between h1 v1 and v2). */
  let marks: { afterSetup: string; betweenVersions: string };

  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
    // Written in this order: Patient/h1 v1, Observation/o1 v1, Patient/h1 v2, Patient/h2 v1,
    // Patient/h1 v3 (delete).
    const v1 = await repo.createResource(testPatient({ family: 'Hist' }), { id: 'h1' });
    await tick();
    const betweenVersions = (await repo.createResource(testObservation({ patientId: 'h1' }), { id: 'o1' }))
      .meta!.lastUpdated!;
    await tick();
    await repo.updateResource({ ...v1, active: false });
    await tick();
    await repo.createResource(testPatient({ family: 'Other' }), { id: 'h2' });
    await tick();
    await repo.deleteResource('Patient', 'h1');
    marks = { afterSetup: new Date(Date.now() + 1000).toISOString(), betweenVersions };
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lists an instance newest first with methods, delete markers and content', async () => {
    const { entries, total } = await repo.history({ resourceType: 'Patient', id: 'h1' });
    expect(total).toBe(3);
    expect(entries.map((e) => [e.versionId, e.method, e.deleted])).toEqual([
      ['3', 'DELETE', true],
      ['2', 'PUT', false],
      ['1', 'POST', false],
    ]);
    expect(entries[0].resource).toBeUndefined();
    expect(entries[1].resource?.active).toBe(false);
    expect(entries[1].resource?.meta?.versionId).toBe('2');
    expect(entries[1].lastUpdated).toBe(entries[1].resource?.meta?.lastUpdated);
    expect(Date.parse(entries[0].lastUpdated)).toBeGreaterThan(Date.parse(entries[1].lastUpdated));
  });

  it('lists a type and the whole system newest first', async () => {
    const type = await repo.history({ resourceType: 'Patient' });
    expect(type.entries.map(label)).toEqual(['Patient/h1/3', 'Patient/h2/1', 'Patient/h1/2', 'Patient/h1/1']);
    expect(type.total).toBe(4);
    const system = await repo.history({});
    expect(system.entries.map(label)).toEqual([
      'Patient/h1/3',
      'Patient/h2/1',
      'Patient/h1/2',
      'Observation/o1/1',
      'Patient/h1/1',
    ]);
    expect(system.total).toBe(5);
  });

  it('applies since (strictly after) at all three levels', async () => {
    const since = marks.betweenVersions;
    expect((await repo.history({ resourceType: 'Patient', id: 'h1', since })).entries.map(label)).toEqual([
      'Patient/h1/3',
      'Patient/h1/2',
    ]);
    expect((await repo.history({ resourceType: 'Patient', since })).entries.map(label)).toEqual([
      'Patient/h1/3',
      'Patient/h2/1',
      'Patient/h1/2',
    ]);
    const system = await repo.history({ since });
    expect(system.entries.map(label)).toEqual(['Patient/h1/3', 'Patient/h2/1', 'Patient/h1/2']);
    expect(system.total).toBe(3);
    const future = await repo.history({ since: marks.afterSetup });
    expect(future).toEqual({ entries: [], total: 0 });
    // An instance that exists but has nothing after since is an empty page, not a 404.
    expect(await repo.history({ resourceType: 'Patient', id: 'h1', since: marks.afterSetup })).toEqual({
      entries: [],
      total: 0,
    });
  });

  it('pages with count and offset, and reports the total of all pages', async () => {
    const first = await repo.history({ count: 2 });
    expect(first.entries.map(label)).toEqual(['Patient/h1/3', 'Patient/h2/1']);
    expect(first.total).toBe(5);
    const second = await repo.history({ count: 2, offset: 2 });
    expect(second.entries.map(label)).toEqual(['Patient/h1/2', 'Observation/o1/1']);
    const beyond = await repo.history({ count: 2, offset: 10 });
    expect(beyond).toEqual({ entries: [], total: 5 });
    const onlyTotal = await repo.history({ resourceType: 'Patient', id: 'h1', count: 0 });
    expect(onlyTotal).toEqual({ entries: [], total: 3 });
    expect(
      (await repo.history({ resourceType: 'Patient', id: 'h1', count: 1, offset: 1 })).entries.map(label),
    ).toEqual(['Patient/h1/2']);
  });

  it('404s the history of an unknown resource and 400s bad input', async () => {
    const status = async (p: Promise<unknown>) =>
      p.then(
        () => 0,
        (e: unknown) => (isOperationOutcomeError(e) ? e.status : -1),
      );
    expect(await status(repo.history({ resourceType: 'Patient', id: 'nobody' }))).toBe(404);
    expect(await status(repo.history({ since: 'last tuesday' }))).toBe(400);
    expect(await status(repo.history({ count: -1 }))).toBe(400);
    expect(await status(repo.history({ resourceType: 'Nonsense' }))).toBe(400);
    expect(await status(repo.history({ id: 'h1' }))).toBe(400);
  });
});
