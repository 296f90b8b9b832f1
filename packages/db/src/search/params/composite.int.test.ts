import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../engine/types.js';
import { createRepository } from '../../repository/repository.js';
import type { Repository, SearchFilter } from '../../repository/types.js';
import { testDatabases } from '../../testing/databases.js';
import { searchFilter as f } from '../../testing/search-filter.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

const mmHg = (value: number) => ({ value, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' });
const coded = (code: string) => ({ coding: [{ system: LOINC, code }] });

/** A blood pressure panel: systolic and diastolic as components. */
function bloodPressure(systolic: number, diastolic: number): Resource {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: coded('85354-9'),
    subject: { reference: 'Patient/p1' },
    component: [
      { code: coded('8480-6'), valueQuantity: mmHg(systolic) },
      { code: coded('8462-4'), valueQuantity: mmHg(diastolic) },
    ],
  };
}

/** A MolecularSequence on a chromosome: a reference window and single-base variants at `variants`. */
function molecularSequence(
  chromosome: string,
  windowStart: number,
  windowEnd: number,
  variants: number[],
): Resource {
  const chr = 'http://terminology.hl7.org/CodeSystem/chromosome-human';
  return {
    resourceType: 'MolecularSequence',
    coordinateSystem: 1,
    referenceSeq: {
      chromosome: { coding: [{ system: chr, code: chromosome }] },
      referenceSeqId: {
        coding: [{ system: 'http://www.ncbi.nlm.nih.gov/nuccore', code: `NC_0000${chromosome}` }],
      },
      windowStart,
      windowEnd,
    },
    variant: variants.map((start) => ({ start, end: start + 1, observedAllele: 'T', referenceAllele: 'G' })),
  };
}

describe.each(testDatabases())('composite search on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;

  async function ids(resourceType: string, ...filters: SearchFilter[]): Promise<string[]> {
    const result = await repo.search({ resourceType, filters, sort: [{ code: '_id', descending: false }] });
    return result.resources.map((r) => r.id ?? '');
  }

  async function rejection(...filters: SearchFilter[]): Promise<string> {
    return rejectionOn('Observation', ...filters);
  }

  async function rejectionOn(resourceType: string, ...filters: SearchFilter[]): Promise<string> {
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
    await repo.createResources(
      [
        bloodPressure(150, 70),
        bloodPressure(110, 95),
        {
          resourceType: 'Observation',
          status: 'final',
          code: coded('8867-4'),
          valueQuantity: { value: 72, unit: '/min', system: UCUM, code: '/min' },
        },
        {
          resourceType: 'Observation',
          status: 'final',
          code: coded('72166-2'),
          valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '8517006' }] },
        },
        {
          resourceType: 'Observation',
          status: 'final',
          code: coded('8302-2'),
          valueDateTime: '2024-05-06',
        },
      ],
      { ids: ['bp1', 'bp2', 'hr', 'smoke', 'dated'] },
    );
    await repo.createResources(
      [molecularSequence('1', 100, 200, [150, 160]), molecularSequence('7', 50, 900, [60])],
      {
        ids: ['seq-chr1', 'seq-chr7'],
      },
    );
  });

  afterAll(async () => {
    await db.close();
  });

  it('matches both components in the same element (component-code-value-quantity)', async () => {
    // bp2 has a systolic component and a value > 100 — but the > 100 is its systolic, and its
    // diastolic 95 is not; only tuples from one component count.
    expect(await ids('Observation', f('component-code-value-quantity', '8480-6$gt140'))).toEqual(['bp1']);
    expect(await ids('Observation', f('component-code-value-quantity', '8462-4$gt90'))).toEqual(['bp2']);
    expect(await ids('Observation', f('component-code-value-quantity', '8462-4$gt100'))).toEqual([]);
    expect(
      await ids('Observation', f('component-code-value-quantity', `${LOINC}|8480-6$ge110|${UCUM}|mm[Hg]`)),
    ).toEqual(['bp1', 'bp2']);
    expect(await ids('Observation', f('component-code-value-quantity', `8480-6$110|${UCUM}|mg`))).toEqual([]);
  });

  it('ORs values with commas and ANDs repetitions', async () => {
    expect(
      await ids('Observation', f('component-code-value-quantity', '8480-6$gt140', '8462-4$gt90')),
    ).toEqual(['bp1', 'bp2']);
    expect(
      await ids(
        'Observation',
        f('component-code-value-quantity', '8480-6$gt100'),
        f('component-code-value-quantity', '8462-4$lt80'),
      ),
    ).toEqual(['bp1']);
  });

  it('searches the observation value and, with combo, both places', async () => {
    expect(await ids('Observation', f('code-value-quantity', '8867-4$72'))).toEqual(['hr']);
    expect(await ids('Observation', f('code-value-quantity', '8867-4$gt80'))).toEqual([]);
    expect(await ids('Observation', f('code-value-quantity', '8480-6$150'))).toEqual([]);
    expect(await ids('Observation', f('combo-code-value-quantity', '8480-6$150'))).toEqual(['bp1']);
    expect(await ids('Observation', f('combo-code-value-quantity', '8867-4$ap70'))).toEqual(['hr']);
  });

  it('pairs a code with a concept and with a date', async () => {
    expect(
      await ids('Observation', f('code-value-concept', `72166-2$http://snomed.info/sct|8517006`)),
    ).toEqual(['smoke']);
    expect(await ids('Observation', f('code-value-concept', '72166-2$1234'))).toEqual([]);
    expect(await ids('Observation', f('code-value-date', '8302-2$2024-05'))).toEqual(['dated']);
    expect(await ids('Observation', f('code-value-date', '8302-2$gt2024-06'))).toEqual([]);
  });

  it(':missing', async () => {
    expect(await ids('Observation', f('code-value-quantity:missing', 'false'))).toEqual(['hr']);
    expect(await ids('Observation', f('component-code-value-quantity:missing', 'true'))).toEqual([
      'dated',
      'hr',
      'smoke',
    ]);
  });

  it('matches three components on one element (MolecularSequence coordinates)', async () => {
    const seq = (name: string, value: string) => ids('MolecularSequence', f(name, value));
    expect(await seq('chromosome-window-coordinate', '1$le100$ge200')).toEqual(['seq-chr1']);
    expect(await seq('chromosome-window-coordinate', '1$gt100$ge200')).toEqual([]);
    expect(await seq('chromosome-window-coordinate', '7$lt100$gt800')).toEqual(['seq-chr7']);
    // The chromosome comes from the resource, the start and end from one variant.
    expect(await seq('chromosome-variant-coordinate', '1$ge155$le161')).toEqual(['seq-chr1']);
    expect(await seq('chromosome-variant-coordinate', '1$ge151$le159')).toEqual([]);
    expect(await seq('chromosome-variant-coordinate', '7$60$61')).toEqual(['seq-chr7']);
    expect(await seq('referenceseqid-variant-coordinate', 'NC_00001$150$151')).toEqual(['seq-chr1']);
    expect(await seq('referenceseqid-window-coordinate', 'NC_00007$50$900')).toEqual(['seq-chr7']);
    expect(await rejectionOn('MolecularSequence', f('chromosome-window-coordinate', '1$100'))).toMatch(
      /'1\$100'.*three values joined by '\$'/,
    );
  });

  it('answers 400 for malformed values and unsupported shapes', async () => {
    expect(await rejection(f('code-value-quantity', '8480-6'))).toMatch(
      /'8480-6'.*'code-value-quantity'.*'\$'/,
    );
    expect(await rejection(f('code-value-quantity', '8480-6$abc'))).toMatch(/'abc'.*'code-value-quantity'/);
    expect(await rejection(f('code-value-quantity:exact', 'a$1'))).toMatch(/:exact.*composite/);
  });
});
