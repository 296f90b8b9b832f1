import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../engine/types.js';
import { createRepository } from '../../repository/repository.js';
import type { Repository, SearchFilter } from '../../repository/types.js';
import { testDatabases } from '../../testing/databases.js';
import { testObservation, testPatient } from '../../testing/fixtures.js';
import { searchFilter as f } from '../../testing/search-filter.js';

const MRN = 'http://hospital.example/mrn';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const VER_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const VITALS = 'http://hl7.org/fhir/ValueSet/observation-vitalsignresult';

function condition(verification: string): Resource {
  return {
    resourceType: 'Condition',
    subject: { reference: 'Patient/p-mr' },
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    verificationStatus: { coding: [{ system: VER_STATUS, code: verification }] },
  };
}

describe.each(testDatabases())('token and reference modifiers on $name', ({ open }) => {
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
      if (isOperationOutcomeError(err) && err.status === 400)
        return err.outcome.issue[0]?.details?.text ?? '';
      throw err;
    }
    throw new Error('expected a 400');
  }

  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
    const typed = (code: string) => ({
      system: MRN,
      value: '123',
      type: { coding: [{ system: V2_0203, code }] },
    });
    await repo.createResources(
      [
        testPatient({ identifier: [typed('MR')], gender: 'female' }),
        testPatient({ identifier: [typed('DL')], gender: 'other' }),
        testPatient({ identifier: [{ system: MRN, value: '456' }], gender: undefined }),
      ],
      { ids: ['p-mr', 'p-dl', 'p-none'] },
    );
    await repo.createResources(
      [
        testObservation({ patientId: 'p-mr', loinc: '8867-4' }),
        testObservation({ patientId: 'p-mr', loinc: '2339-0' }),
        { ...testObservation({ loinc: '8480-6' }), subject: { identifier: { system: MRN, value: '123' } } },
        {
          ...testObservation({ loinc: '2339-0' }),
          subject: { type: 'Group', identifier: { system: MRN, value: '123' } },
        },
        {
          ...testObservation({ loinc: '2339-0' }),
          subject: { type: 'Patient', identifier: { system: MRN, value: '456' } },
        },
      ],
      { ids: ['o-hr', 'o-glucose', 'o-logical', 'o-group', 'o-typed'] },
    );
    await repo.createResources(['provisional', 'differential', 'confirmed', 'unconfirmed'].map(condition), {
      ids: ['c-prov', 'c-diff', 'c-conf', 'c-unconf'],
    });
  });

  afterAll(async () => {
    await db.close();
  });

  it(':in and :not-in expand a core ValueSet', async () => {
    expect(await ids('Observation', f('code:in', VITALS))).toEqual(['o-hr', 'o-logical']);
    expect(await ids('Observation', f('code:not-in', VITALS))).toEqual(['o-glucose', 'o-group', 'o-typed']);
    // A code element (no system in the index) matches by its binding's codes.
    expect(
      await ids('Patient', f('gender:in', 'http://hl7.org/fhir/ValueSet/administrative-gender')),
    ).toEqual(['p-dl', 'p-mr']);
  });

  it(':below and :above follow a core CodeSystem hierarchy', async () => {
    expect(await ids('Condition', f('verification-status:below', `${VER_STATUS}|unconfirmed`))).toEqual([
      'c-diff',
      'c-prov',
      'c-unconf',
    ]);
    expect(await ids('Condition', f('verification-status:above', `${VER_STATUS}|provisional`))).toEqual([
      'c-prov',
      'c-unconf',
    ]);
    expect(await ids('Condition', f('verification-status:below', `${VER_STATUS}|confirmed`))).toEqual([
      'c-conf',
    ]);
  });

  it(':of-type matches the identifier type and value together', async () => {
    expect(await ids('Patient', f('identifier:of-type', `${V2_0203}|MR|123`))).toEqual(['p-mr']);
    expect(await ids('Patient', f('identifier:of-type', `${V2_0203}|DL|123`, `${V2_0203}|MR|999`))).toEqual([
      'p-dl',
    ]);
    expect(await ids('Patient', f('identifier:of-type', `|MR|123`))).toEqual(['p-mr']);
    expect(await ids('Patient', f('identifier:of-type', `${V2_0203}|MR|456`))).toEqual([]);
  });

  it(':identifier finds logical references', async () => {
    expect(await ids('Observation', f('subject:identifier', `${MRN}|123`))).toEqual(['o-group', 'o-logical']);
    expect(await ids('Observation', f('subject:identifier', '123'))).toEqual(['o-group', 'o-logical']);
    expect(await ids('Observation', f('subject:identifier', `${MRN}|456`))).toEqual(['o-typed']);
    expect(await ids('Observation', f('subject:identifier', `${MRN}|789`))).toEqual([]);
  });

  it(':identifier on a parameter that tests resolve() keeps untyped logical references', async () => {
    // Observation.patient is `subject.where(resolve() is Patient)`: a subject with only an MRN
    // (no reference, no type) is kept; one typed Group is not; one typed Patient is.
    expect(await ids('Observation', f('patient:identifier', `${MRN}|123`))).toEqual(['o-logical']);
    expect(await ids('Observation', f('patient:identifier', `${MRN}|456`))).toEqual(['o-typed']);
    expect(await ids('Observation', f('patient', 'p-mr'))).toEqual(['o-glucose', 'o-hr']);
  });

  it('answers 400 naming what the definitions cannot answer', async () => {
    expect(await rejection('Observation', f('code:in', 'http://example.org/ValueSet/nope'))).toMatch(
      /ValueSet 'http:\/\/example.org\/ValueSet\/nope'.*code:in/,
    );
    expect(await rejection('Observation', f('code:below', '8867-4'))).toMatch(
      /'code:below' needs system\|code/,
    );
    expect(await rejection('Observation', f('code:below', 'http://loinc.org|8867-4'))).toMatch(
      /'8867-4' of 'http:\/\/loinc.org' has no hierarchy/,
    );
    expect(await rejection('Patient', f('identifier:of-type', 'MR|123'))).toMatch(
      /type-system\|type-code\|value/,
    );
    expect(await rejection('Patient', f('gender:exact', 'x'))).toMatch(/:exact.*token/);
    expect(await rejection('Observation', f('subject:text', 'x'))).toMatch(/:text.*reference/);
  });
});
