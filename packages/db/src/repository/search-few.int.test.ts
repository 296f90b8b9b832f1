import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { testDatabases } from '../testing/databases.js';
import { countQueries } from '../testing/query-counter.js';
import { createRepository } from './repository.js';
import type { Repository, SearchRequest } from './types.js';

const system = 'urn:test:search-few';
const byIdentifier = (value: string, count = 2): SearchRequest => ({
  resourceType: 'Patient',
  filters: [{ code: 'identifier', values: [`${system}|${value}`] }],
  count,
  fewMatches: true,
});
const patient = (value: string): Resource => ({
  resourceType: 'Patient',
  identifier: [{ system, value }],
});

describe.each(testDatabases())('several conditional lookups at once on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;
  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
    await repo.createResources([patient('one'), patient('two'), patient('two')]);
    await repo.createResources(Array.from({ length: 150 }, (_, i) => patient(`many-${i}`)));
  });
  afterAll(() => db?.close());

  it('answers each search in its place: none, one, several (up to its count)', async () => {
    const found = await repo.searchFew([byIdentifier('absent'), byIdentifier('one'), byIdentifier('two')]);
    expect(found.map((list) => list.length)).toEqual([0, 1, 2]);
    expect(found[1][0].identifier).toEqual([{ system, value: 'one' }]);
    // a count of one keeps the first match only
    expect((await repo.searchFew([byIdentifier('two', 1)]))[0]).toHaveLength(1);
  });

  it('finds what search finds, in one statement for up to a hundred searches', async () => {
    const counted = countQueries(db);
    const counting = createRepository(counted.db);
    const requests = Array.from({ length: 150 }, (_, i) => byIdentifier(`many-${i}`));
    const found = await counting.searchFew(requests);
    expect(
      found.every(
        (list, i) =>
          list.length === 1 &&
          (list[0].identifier as { value?: string }[] | undefined)?.[0]?.value === `many-${i}`,
      ),
    ).toBe(true);
    expect(counted.statements).toHaveLength(2);
    const one = await repo.search(byIdentifier('many-7'));
    expect(found[7][0].id).toBe(one.resources[0].id);
  });

  it('refuses an unknown search parameter like search does', async () => {
    await expect(
      repo.searchFew([{ resourceType: 'Patient', filters: [{ code: 'no-such-parameter', values: ['x'] }] }]),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('takes conditional locks only inside a transaction, each key once per transaction', async () => {
    await expect(repo.lockConditionals(['k'])).rejects.toMatchObject({ status: 500 });
    const counted = countQueries(db);
    await createRepository(counted.db).withTransaction(async (tx) => {
      await tx.lockConditionals(['b', 'a', 'b']);
      await tx.lockConditional('a');
      await tx.lockConditionals(['a', 'c']);
    });
    const locks = counted.statements.filter((s) => s.includes('pg_advisory_xact_lock'));
    expect(locks).toHaveLength(2);
  });
});
