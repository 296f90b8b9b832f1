import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../engine/types.js';
import { createRepository } from '../../repository/repository.js';
import type { Repository, SearchFilter } from '../../repository/types.js';
import { testDatabases } from '../../testing/databases.js';
import { testObservation, testPatient } from '../../testing/fixtures.js';
import { searchFilter as f } from '../../testing/search-filter.js';

function list(id: string, ...items: string[]): Resource {
  return {
    resourceType: 'List',
    id,
    status: 'current',
    mode: 'working',
    ...(items.length > 0 ? { entry: items.map((reference) => ({ item: { reference } })) } : {}),
  };
}

describe.each(testDatabases())('_list on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;

  async function ids(resourceType: string, ...filters: SearchFilter[]): Promise<string[]> {
    const result = await repo.search({ resourceType, filters, sort: [{ code: '_id', descending: false }] });
    return result.resources.map((r) => r.id ?? '');
  }

  async function rejection(...filters: SearchFilter[]): Promise<string> {
    try {
      await repo.search({ resourceType: 'Patient', filters });
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
    const patients = [
      testPatient({ family: 'Ames' }),
      testPatient({ family: 'Brown', gender: 'female' }),
      testPatient({ family: 'Chen', gender: 'female' }),
      testPatient({ family: 'Diaz' }),
    ];
    await repo.createResources(patients, { ids: ['a', 'b', 'c', 'd'] });
    await repo.createResources([testObservation({ patientId: 'a' }), testObservation({ patientId: 'b' })], {
      ids: ['o1', 'o2'],
    });
    await repo.createResources(
      [
        // A ward census: patients and one observation, one item that does not exist.
        list('ward', 'Patient/a', 'Patient/b', 'Patient/c', 'Observation/o1', 'Patient/gone'),
        list('clinic', 'Patient/c', 'Patient/d'),
        list('empty'),
      ],
      { ids: ['ward', 'clinic', 'empty'] },
    );
  });

  afterAll(async () => {
    await db?.close();
  });

  it('finds the items of the List of that type', async () => {
    expect(await ids('Patient', f('_list', 'ward'))).toEqual(['a', 'b', 'c']);
    expect(await ids('Observation', f('_list', 'ward'))).toEqual(['o1']);
    expect(await ids('Patient', f('_list', 'empty'))).toEqual([]);
  });

  it('a missing List matches nothing', async () => {
    expect(await ids('Patient', f('_list', 'no-such-list'))).toEqual([]);
  });

  it('ORs ids with commas, ANDs repetitions, combines with other parameters', async () => {
    expect(await ids('Patient', f('_list', 'ward', 'clinic'))).toEqual(['a', 'b', 'c', 'd']);
    expect(await ids('Patient', f('_list', 'ward'), f('_list', 'clinic'))).toEqual(['c']);
    expect(await ids('Patient', f('_list', 'ward'), f('gender', 'female'))).toEqual(['b', 'c']);
    expect(await ids('Patient', f('_list', 'ward'), f('_id', 'a', 'd'))).toEqual(['a']);
  });

  it('works with _type across types', async () => {
    const result = await repo.search({
      resourceType: 'Patient',
      resourceTypes: ['Patient', 'Observation'],
      filters: [f('_list', 'ward')],
      sort: [{ code: '_id', descending: false }],
    });
    expect(result.resources.map((r) => `${r.resourceType}/${r.id}`)).toEqual([
      'Patient/a',
      'Patient/b',
      'Patient/c',
      'Observation/o1',
    ]);
  });

  it('follows the List: an updated or deleted List changes the result', async () => {
    await repo.createResources([list('moving', 'Patient/a')], { ids: ['moving'] });
    expect(await ids('Patient', f('_list', 'moving'))).toEqual(['a']);
    await repo.updateResource(list('moving', 'Patient/d'));
    expect(await ids('Patient', f('_list', 'moving'))).toEqual(['d']);
    await repo.deleteResource('List', 'moving');
    expect(await ids('Patient', f('_list', 'moving'))).toEqual([]);
  });

  it('functional lists: current problems, allergies and medications, with patient=', async () => {
    const condition = (
      id: string,
      patient: string,
      clinical: string,
      verification = 'confirmed',
    ): Resource => ({
      resourceType: 'Condition',
      id,
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: clinical }],
      },
      verificationStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: verification },
        ],
      },
      code: { text: id },
      subject: { reference: `Patient/${patient}` },
    });
    const allergy = (id: string, clinical: string, verification: string): Resource => ({
      resourceType: 'AllergyIntolerance',
      id,
      clinicalStatus: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: clinical },
        ],
      },
      verificationStatus: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
            code: verification,
          },
        ],
      },
      code: { text: id },
      patient: { reference: 'Patient/a' },
    });
    const medication = (id: string, status: string): Resource => ({
      resourceType: 'MedicationRequest',
      id,
      status,
      intent: 'order',
      medicationCodeableConcept: { text: id },
      subject: { reference: 'Patient/a' },
    });
    const records = [
      condition('asthma', 'a', 'active'),
      condition('relapsed', 'a', 'relapse'),
      condition('resolved', 'a', 'resolved'),
      condition('mistake', 'a', 'active', 'entered-in-error'),
      condition('other-patient', 'b', 'active'),
      allergy('penicillin', 'active', 'confirmed'),
      allergy('latex', 'active', 'refuted'),
      allergy('peanut', 'inactive', 'confirmed'),
      medication('metformin', 'active'),
      medication('amoxicillin', 'completed'),
    ];
    await repo.createResources(records, { ids: records.map((r) => r.id ?? '') });
    expect(await ids('Condition', f('patient', 'a'), f('_list', '$current-problems'))).toEqual([
      'asthma',
      'relapsed',
    ]);
    expect(await ids('Condition', f('_list', '$current-problems'))).toEqual([
      'asthma',
      'other-patient',
      'relapsed',
    ]);
    expect(await ids('AllergyIntolerance', f('patient', 'a'), f('_list', '$current-allergies'))).toEqual([
      'penicillin',
    ]);
    expect(await ids('MedicationRequest', f('patient', 'a'), f('_list', '$current-medications'))).toEqual([
      'metformin',
    ]);
  });

  it('rejects modifiers, functional lists and bad ids with a 400 naming _list', async () => {
    expect(await rejection(f('_list:not', 'ward'))).toMatch(/'_list' takes no modifier/);
    expect(await rejection(f('_list', '$current-problems'))).toMatch(
      /Functional list '\$current-problems' holds Condition, not Patient/,
    );
    expect(await rejection(f('_list', '$favourite-things'))).toMatch(
      /Functional list '\$favourite-things' is not defined/,
    );
    expect(await rejection(f('_list', 'a b'))).toMatch(/Invalid value 'a b' for search parameter '_list'/);
  });
});
