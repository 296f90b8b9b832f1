import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../engine/types.js';
import { createRepository } from '../../repository/repository.js';
import type { Repository, SearchFilter } from '../../repository/types.js';
import { testDatabases } from '../../testing/databases.js';
import { testObservation, testPatient } from '../../testing/fixtures.js';
import { countQueries } from '../../testing/query-counter.js';
import { searchFilter as f } from '../../testing/search-filter.js';

/** `name=v1,v2` as the server's parser splits it: code before the first ':', the rest the modifier. */

const organization = (name: string): Resource => ({ resourceType: 'Organization', name });

describe.each(testDatabases())('chained and reverse-chained search on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;

  async function ids(resourceType: string, ...filters: SearchFilter[]): Promise<string[]> {
    const result = await repo.search({ resourceType, filters, sort: [{ code: '_id', descending: false }] });
    return result.resources.map((r) => r.id ?? '');
  }

  async function rejection(resourceType: string, ...filters: SearchFilter[]): Promise<string> {
    try {
      await repo.search({ resourceType, filters });
    } catch (err) {
      if (isOperationOutcomeError(err) && err.status === 400) {
        return err.outcome.issue.map((i) => i.details?.text).join('; ');
      }
      throw err;
    }
    throw new Error('expected a 400');
  }

  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
    await repo.createResources([organization('Good Health Clinic'), organization('Other Place')], {
      ids: ['o1', 'o2'],
    });
    await repo.createResources(
      [
        testPatient({
          family: 'Chalmers',
          given: 'Peter',
          managingOrganization: { reference: 'Organization/o1' },
        }),
        testPatient({
          family: 'Smith',
          given: 'Anna',
          managingOrganization: { reference: 'Organization/o2' },
        }),
        testPatient({ family: 'Nobody', given: 'Carl' }),
        testPatient({ family: 'Zed', given: 'Zed' }),
      ],
      { ids: ['pa', 'pb', 'pc', 'pd'] },
    );
    await repo.createResources(
      [
        testObservation({ patientId: 'pa', loinc: '8867-4' }),
        testObservation({ patientId: 'pb', loinc: '8480-6' }),
        testObservation({ patientId: 'pa', loinc: '8480-6' }),
        testObservation({ patientId: 'pd', loinc: '8480-6' }),
      ],
      { ids: ['ob1', 'ob2', 'ob3', 'ob4'] },
    );
    await repo.deleteResource('Patient', 'pd');
  });

  afterAll(async () => {
    await db.close();
  });

  it('follows a typed chain (subject:Patient.name) and an inferred one (patient.name)', async () => {
    expect(await ids('Observation', f('subject:Patient.name', 'peter'))).toEqual(['ob1', 'ob3']);
    expect(await ids('Observation', f('patient.name', 'peter'))).toEqual(['ob1', 'ob3']);
    expect(await ids('Observation', f('patient.name', 'anna'))).toEqual(['ob2']);
    expect(await ids('Observation', f('patient.name', 'nobody'))).toEqual([]);
  });

  it('applies the modifier and OR values of the last link, and ANDs with other filters', async () => {
    expect(await ids('Observation', f('subject:Patient.name:exact', 'Peter'))).toEqual(['ob1', 'ob3']);
    expect(await ids('Observation', f('subject:Patient.name:exact', 'peter'))).toEqual([]);
    expect(await ids('Observation', f('patient.name', 'peter', 'anna'))).toEqual(['ob1', 'ob2', 'ob3']);
    expect(await ids('Observation', f('patient.name', 'peter'), f('code', '8480-6'))).toEqual(['ob3']);
    expect(await ids('Observation', f('patient._id', 'pb'))).toEqual(['ob2']);
  });

  it('follows several levels (patient.organization.name)', async () => {
    expect(await ids('Observation', f('patient.organization.name', 'good'))).toEqual(['ob1', 'ob3']);
    expect(await ids('Observation', f('patient.organization.name', 'other'))).toEqual(['ob2']);
    expect(await ids('Observation', f('subject:Patient.organization:Organization.name', 'other'))).toEqual([
      'ob2',
    ]);
  });

  it('never reaches a deleted target', async () => {
    expect(await ids('Observation', f('patient.name', 'zed'))).toEqual([]);
    expect(await ids('Observation', f('patient', 'pd'))).toEqual(['ob4']);
  });

  it('reverse-chains with _has, nested too', async () => {
    expect(await ids('Patient', f('_has:Observation:patient:code', '8480-6'))).toEqual(['pa', 'pb']);
    expect(await ids('Patient', f('_has:Observation:patient:code', '8867-4'))).toEqual(['pa']);
    expect(await ids('Patient', f('_has:Observation:subject:code', '9999-9'))).toEqual([]);
    expect(
      await ids('Organization', f('_has:Patient:organization:_has:Observation:patient:code', '8867-4')),
    ).toEqual(['o1']);
    expect(await ids('Organization', f('_has:Patient:organization:name', 'smith'))).toEqual(['o2']);
    expect(
      await ids(
        'Patient',
        f('_has:Observation:patient:code', '8480-6'),
        f('_has:Observation:patient:code', '8867-4'),
      ),
    ).toEqual(['pa']);
  });

  it('runs a chained search as one page statement (after one probe or count)', async () => {
    const counter = countQueries(db);
    const counted = createRepository(counter.db);
    const request = { resourceType: 'Observation', filters: [f('patient.organization.name', 'good')] };
    const result = await counted.search(request);
    expect(result.total).toBe(2);
    expect(counter.statements).toHaveLength(2);
    const withTotal = await counted.search({ ...request, count: 1, total: 'accurate' });
    expect(withTotal.total).toBe(2);
    expect(counter.statements).toHaveLength(4);
  });

  it('answers 400 naming what is wrong', async () => {
    expect(await rejection('Observation', f('subject.name', 'x'))).toMatch(
      /'subject\.name' is ambiguous.*subject:/,
    );
    expect(await rejection('Observation', f('code.name', 'x'))).toMatch(/'code' is a token parameter/);
    expect(await rejection('Observation', f('patient:Organization.name', 'x'))).toMatch(
      /'patient' does not refer to Organization/,
    );
    expect(await rejection('Observation', f('patient.colour', 'x'))).toMatch(/'colour'/);
    expect(await rejection('Observation', f('patient.', 'x'))).toMatch(/ends with '\.'/);
    expect(await rejection('Patient', f('_has:Observation:code:code', 'x'))).toMatch(/'code' is a token/);
    expect(await rejection('Patient', f('_has:Observation', 'x'))).toMatch(/_has:\[type\]/);
    expect(await rejection('Patient', f('_has:Nope:patient:code', 'x'))).toMatch(
      /Unknown resource type 'Nope'/,
    );
    expect(await rejection('Patient', f('_has:Observation:patient:colour', 'x'))).toMatch(/'colour'/);
    expect(await rejection('Organization', f('_has:Observation:patient:code', 'x'))).toMatch(
      /never refers to Organization/,
    );
  });
});
