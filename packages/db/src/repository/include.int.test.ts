import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { testDatabases } from '../testing/databases.js';
import { testObservation, testPatient } from '../testing/fixtures.js';
import { countQueries } from '../testing/query-counter.js';
import { createRepository } from './repository.js';
import type { IncludeRequest, Repository } from './types.js';

const key = (r: Resource) => `${r.resourceType}/${r.id}`;

describe.each(testDatabases())('includeResources on $name', ({ open }) => {
  let db: Database;
  let counter: ReturnType<typeof countQueries>;
  let repo: Repository;
  let org: Resource;
  let parentOrg: Resource;
  let practitioner: Resource;
  const patients: Resource[] = [];
  const observations: Resource[] = [];
  let provenance: Resource;

  beforeAll(async () => {
    db = await open();
    counter = countQueries(db);
    repo = createRepository(counter.db);
    parentOrg = await repo.createResource({ resourceType: 'Organization', id: 'x', name: 'Parent' });
    org = await repo.createResource({
      resourceType: 'Organization',
      name: 'Ward',
      partOf: { reference: `Organization/${parentOrg.id}` },
    });
    practitioner = await repo.createResource({ resourceType: 'Practitioner', name: [{ family: 'Who' }] });
    for (let i = 0; i < 3; i++) {
      patients.push(
        await repo.createResource(
          testPatient({ managingOrganization: { reference: `Organization/${org.id}` } }),
        ),
      );
    }
    for (let i = 0; i < 6; i++) {
      const obs = testObservation({ patientId: patients[i % 3].id });
      obs.performer = [{ reference: `Practitioner/${practitioner.id}` }];
      observations.push(await repo.createResource(obs));
    }
    provenance = await repo.createResource({
      resourceType: 'Provenance',
      target: [{ reference: `Patient/${patients[0].id}` }],
      recorded: '2024-01-01T00:00:00Z',
      agent: [{ who: { reference: `Practitioner/${practitioner.id}` } }],
    });
  });
  afterAll(() => db?.close());

  async function included(matches: Resource[], request: IncludeRequest): Promise<string[]> {
    counter.reset();
    const result = await repo.includeResources(
      matches.map((m) => ({ resourceType: m.resourceType, id: m.id! })),
      request,
    );
    return result.resources.map(key).sort();
  }

  it('follows one reference parameter for a whole page in one statement, without duplicates', async () => {
    const got = await included(observations, {
      include: [{ resourceType: 'Observation', param: 'patient' }],
    });
    expect(got).toEqual(patients.map(key).sort());
    expect(counter.statements).toHaveLength(1);
  });

  it('restricts by target type and follows every reference with *', async () => {
    expect(
      await included(observations, {
        include: [{ resourceType: 'Observation', param: 'subject', targetType: 'Group' }],
      }),
    ).toEqual([]);
    expect(
      await included(observations, {
        include: [{ resourceType: 'Observation', param: 'subject', targetType: 'Patient' }],
      }),
    ).toEqual(patients.map(key).sort());
    expect(await included(observations, { include: [{ resourceType: '*', param: '*' }] })).toEqual(
      [...patients, practitioner].map(key).sort(),
    );
    expect(counter.statements).toHaveLength(1);
  });

  it('never returns the matches themselves', async () => {
    const got = await included([observations[0], patients[0]], {
      include: [{ resourceType: 'Observation', param: 'patient' }],
    });
    expect(got).toEqual([]);
  });

  it('iterates level by level, one statement per level, until nothing new', async () => {
    const got = await included(observations, {
      include: [
        { resourceType: 'Observation', param: 'patient' },
        { resourceType: 'Patient', param: 'organization', iterate: true },
        { resourceType: 'Organization', param: 'partof', iterate: true },
      ],
    });
    expect(got).toEqual([...patients, org, parentOrg].map(key).sort());
    // level 1: patients; 2: the ward; 3: its parent; 4: nothing new (parent has no partOf).
    expect(counter.statements).toHaveLength(4);
  });

  it('applies a plain include only to the matches (no :iterate, no second level)', async () => {
    const got = await included(observations, {
      include: [
        { resourceType: 'Observation', param: 'patient' },
        { resourceType: 'Patient', param: 'organization' },
      ],
    });
    expect(got).toEqual(patients.map(key).sort());
  });

  it('reverse-includes by parameter and with *', async () => {
    expect(
      await included([patients[0]], { revinclude: [{ resourceType: 'Observation', param: 'subject' }] }),
    ).toEqual([observations[0], observations[3]].map(key).sort());
    expect(await included([patients[0]], { revinclude: [{ resourceType: '*', param: '*' }] })).toEqual(
      [observations[0], observations[3], provenance].map(key).sort(),
    );
    expect(counter.statements).toHaveLength(1);
  });

  it('mixes include and revinclude in one statement per level', async () => {
    const got = await included(patients, {
      include: [{ resourceType: 'Patient', param: 'organization' }],
      revinclude: [{ resourceType: 'Provenance', param: 'target' }],
    });
    expect(got).toEqual([org, provenance].map(key).sort());
    expect(counter.statements).toHaveLength(1);
  });

  it('caps the number of included resources and says so', async () => {
    const result = await repo.includeResources(
      patients.map((p) => ({ resourceType: 'Patient', id: p.id! })),
      { revinclude: [{ resourceType: 'Observation', param: 'patient' }], maxIncluded: 4 },
    );
    expect(result.resources).toHaveLength(4);
    expect(result.truncated).toBe(true);
  });

  it('skips deleted targets and answers nothing for no sources', async () => {
    const extra: Resource = await repo.createResource({ resourceType: 'Practitioner' } as Resource);
    const obs = testObservation({ patientId: patients[0].id });
    obs.performer = [{ reference: `Practitioner/${extra.id}` }];
    const stored = await repo.createResource(obs);
    await repo.deleteResource('Practitioner', extra.id!);
    expect(
      await included([stored], { include: [{ resourceType: 'Observation', param: 'performer' }] }),
    ).toEqual([]);
    expect(await included([], { include: [{ resourceType: '*', param: '*' }] })).toEqual([]);
    expect(counter.statements).toHaveLength(0);
  });
});
