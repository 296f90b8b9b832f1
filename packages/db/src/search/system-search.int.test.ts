import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { createRepository } from '../repository/repository.js';
import type { Repository, SearchRequest } from '../repository/types.js';
import { testDatabases } from '../testing/databases.js';
import { testObservation, testPatient } from '../testing/fixtures.js';
import { countQueries } from '../testing/query-counter.js';

const tag = (code: string) => ({ tag: [{ system: 'http://example.org/tags', code }] });

describe.each(testDatabases())('system-wide search, sorting and totals on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;

  const keys = (resources: Resource[]) => resources.map((r) => `${r.resourceType}/${r.id}`);

  async function rejection(request: SearchRequest): Promise<string> {
    try {
      await repo.search(request);
    } catch (err) {
      if (isOperationOutcomeError(err) && err.status === 400)
        return err.outcome.issue[0]?.details?.text ?? '';
      throw err;
    }
    throw new Error('expected a 400');
  }

  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
    await repo.createResources(
      [
        testPatient({ family: 'Baker', given: 'Amy', birthDate: '1980-01-01', meta: tag('vip') }),
        testPatient({ family: 'Adams', given: 'Zoe', birthDate: '1990-01-01' }),
        testPatient({ family: 'Adams', given: 'Bob', birthDate: '1970-01-01', meta: tag('vip') }),
      ],
      { ids: ['x1', 'x2', 'x3'] },
    );
    await repo.createResources(
      [
        { ...testObservation({ patientId: 'x1', value: 80, effective: '2024-01-02' }), meta: tag('vip') },
        testObservation({ patientId: 'x2', value: 60, effective: '2024-01-01' }),
        testObservation({ patientId: 'x1', value: 60, effective: '2024-01-03' }),
      ],
      { ids: ['x1', 'o2', 'o3'] },
    );
  });

  afterAll(async () => {
    await db.close();
  });

  it('searches several types in one query, in a stable order (id, then type)', async () => {
    const counter = countQueries(db);
    const result = await createRepository(counter.db).search({
      resourceType: 'Patient',
      resourceTypes: ['Patient', 'Observation'],
      filters: [{ code: '_tag', values: ['vip'] }],
    });
    expect(keys(result.resources)).toEqual(['Observation/x1', 'Patient/x1', 'Patient/x3']);
    expect(counter.statements).toHaveLength(1);
    const byId = await repo.search({
      resourceType: 'Patient',
      resourceTypes: ['Patient', 'Observation'],
      filters: [{ code: '_id', values: ['x1'] }],
    });
    expect(keys(byId.resources)).toEqual(['Observation/x1', 'Patient/x1']);
  });

  it('ORs per-type conditions when the types define a parameter separately (Patient and Organization name)', async () => {
    await repo.createResource({ resourceType: 'Organization', name: 'Adams Clinic' }, { id: 'org' });
    const result = await repo.search({
      resourceType: 'Patient',
      resourceTypes: ['Patient', 'Organization'],
      filters: [{ code: 'name', values: ['adams'] }],
    });
    expect(keys(result.resources)).toEqual(['Organization/org', 'Patient/x2', 'Patient/x3']);
    await repo.deleteResource('Organization', 'org');
  });

  it('pages a system-wide search without losing or repeating a resource', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 6; offset += 2) {
      const page = await repo.search({
        resourceType: 'Patient',
        resourceTypes: ['Observation', 'Patient'],
        filters: [],
        count: 2,
        offset,
      });
      seen.push(...keys(page.resources));
    }
    expect(seen).toEqual([
      'Observation/o2',
      'Observation/o3',
      'Observation/x1',
      'Patient/x1',
      'Patient/x2',
      'Patient/x3',
    ]);
  });

  it('allows only parameters common to every type', async () => {
    expect(
      await rejection({
        resourceType: 'Patient',
        resourceTypes: ['Patient', 'Observation'],
        filters: [{ code: 'name', values: ['a'] }],
      }),
    ).toMatch(/'name' is not defined for Observation/);
    expect(
      await rejection({ resourceType: 'Patient', resourceTypes: ['Patient', 'Nope'], filters: [] }),
    ).toMatch(/Unknown resource type 'Nope'/);
  });

  it('sorts on several keys of different types, descending with -', async () => {
    const sorted = async (sort: SearchRequest['sort'], resourceType = 'Patient') =>
      (await repo.search({ resourceType, filters: [], sort })).resources.map((r) => r.id);
    expect(
      await sorted([
        { code: 'family', descending: false },
        { code: 'given', descending: false },
      ]),
    ).toEqual(['x3', 'x2', 'x1']);
    expect(
      await sorted([
        { code: 'family', descending: false },
        { code: 'birthdate', descending: true },
      ]),
    ).toEqual(['x2', 'x3', 'x1']);
    expect(
      await sorted(
        [
          { code: 'value-quantity', descending: false },
          { code: 'date', descending: true },
        ],
        'Observation',
      ),
    ).toEqual(['o3', 'o2', 'x1']);
    expect(
      await sorted(
        [
          { code: 'subject', descending: true },
          { code: 'date', descending: false },
        ],
        'Observation',
      ),
    ).toEqual(['o2', 'x1', 'o3']);
    expect(
      await sorted(
        [
          { code: 'code', descending: false },
          { code: '_lastUpdated', descending: true },
        ],
        'Observation',
      ),
    ).toHaveLength(3);
  });

  it('_total: accurate counts, estimate asks the planner, none leaves it out when unknown', async () => {
    const all = { resourceType: 'Observation', filters: [] };
    expect((await repo.search({ ...all, count: 1, total: 'accurate' })).total).toBe(3);
    const estimate = await repo.search({ ...all, count: 1, total: 'estimate' });
    expect(estimate.total).toBeGreaterThanOrEqual(1);
    expect(estimate.resources).toHaveLength(1);
    expect((await repo.search({ ...all, count: 1, total: 'none' })).total).toBeUndefined();
    expect((await repo.search({ ...all, count: 0, total: 'estimate' })).total).toBeGreaterThanOrEqual(1);
  });
});
