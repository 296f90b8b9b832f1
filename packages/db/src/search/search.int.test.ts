import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { createRepository } from '../repository/repository.js';
import type { Repository, SearchFilter, SearchRequest } from '../repository/types.js';
import { testDatabases } from '../testing/databases.js';
import { testObservation, testPatient } from '../testing/fixtures.js';
import { countQueries } from '../testing/query-counter.js';

/** `code[:modifier]=v1,v2` as a SearchFilter. */
function f(name: string, ...values: string[]): SearchFilter {
  const [code, modifier] = name.split(':');
  return modifier === undefined ? { code, values } : { code, modifier, values };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

describe.each(testDatabases())('search on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;
  let lastPatient: Resource;

  /** The ids a search returns, in order (sorted by _id unless the request sorts). */
  async function ids(resourceType: string, ...filters: SearchFilter[]): Promise<string[]> {
    const result = await repo.search({ resourceType, filters, sort: [{ code: '_id', descending: false }] });
    return result.resources.map((r) => r.id!);
  }

  async function status(request: SearchRequest): Promise<{ status: number; text: string }> {
    try {
      await repo.search(request);
    } catch (err) {
      if (isOperationOutcomeError(err)) {
        return { status: err.status, text: err.outcome.issue.map((i) => i.details?.text).join('; ') };
      }
      throw err;
    }
    return { status: 200, text: '' };
  }

  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
    const mrn = 'http://hospital.example/mrn';
    await repo.createResources(
      [
        testPatient({
          family: 'Chalmers',
          given: 'Peter',
          identifier: [{ system: mrn, value: 'MRN-1' }],
          meta: {
            profile: ['http://example.org/StructureDefinition/vip-patient'],
            tag: [{ system: 'http://example.org/tags', code: 'vip' }],
          },
        }),
        testPatient({
          family: 'Chalmers-Smith',
          given: 'Anna',
          birthDate: '1980-01-01',
          identifier: [{ system: mrn, value: 'MRN-2' }],
        }),
        testPatient({ family: 'Renée', given: 'Zoë', gender: 'female', birthDate: '1990-06' }),
      ],
      { ids: ['pa', 'pb', 'pc'] },
    );
    await tick();
    lastPatient = await repo.createResource(
      testPatient({
        family: 'Adams',
        gender: 'unknown',
        birthDate: undefined,
        identifier: [{ value: 'NOSYS' }],
      }),
      { id: 'pd' },
    );
    await repo.createResources(
      [
        testObservation({
          patientId: 'pa',
          loinc: '8867-4',
          value: 72,
          unit: '/min',
          effective: '2024-05-06T07:08:09Z',
        }),
        testObservation({
          patientId: 'pa',
          loinc: '8310-5',
          value: 37.5,
          unit: 'Cel',
          effective: '2024-05-07',
          status: 'amended',
        }),
        testObservation({
          patientId: 'pb',
          loinc: '8867-4',
          value: 100,
          unit: '/min',
          effective: '2023-01-01T00:00:00Z',
        }),
        {
          ...testObservation({ loinc: '29463-7', value: 80, unit: 'kg', effective: '2022-02-02' }),
          subject: { reference: 'http://other.example/fhir/Patient/pa' },
        },
        {
          ...testObservation({ loinc: '29463-7', value: 65, unit: 'kg', effective: '2022-02-02' }),
          subject: { reference: 'Group/pa' },
        },
      ],
      { ids: ['o1', 'o2', 'o3', 'o4', 'o5'] },
    );
    await repo.createResources(
      [
        {
          resourceType: 'RiskAssessment',
          status: 'final',
          subject: { reference: 'Patient/pa' },
          prediction: [{ probabilityDecimal: 0.25 }],
        },
        {
          resourceType: 'RiskAssessment',
          status: 'final',
          subject: { reference: 'Patient/pb' },
          prediction: [{ probabilityDecimal: 0.8 }],
        },
        { resourceType: 'ValueSet', status: 'active', url: 'http://example.org/fhir/ValueSet/colours' },
        {
          resourceType: 'ValueSet',
          status: 'active',
          url: 'http://example.org/fhir/ValueSet/colours-extended',
        },
        { resourceType: 'ValueSet', status: 'active', url: 'http://other.org/vs' },
      ],
      { ids: ['ra1', 'ra2', 'vs1', 'vs2', 'vs3'] },
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('finds by _id, one or several', async () => {
    expect(await ids('Patient', f('_id', 'pc'))).toEqual(['pc']);
    expect(await ids('Patient', f('_id', 'pa', 'pc', 'nobody'))).toEqual(['pa', 'pc']);
    expect(await ids('Observation', f('_id', 'pa'))).toEqual([]);
  });

  it('finds by _lastUpdated with prefixes and precision', async () => {
    const at = lastPatient.meta!.lastUpdated!;
    expect(await ids('Patient', f('_lastUpdated', at))).toEqual(['pd']);
    expect(await ids('Patient', f('_lastUpdated', `ge${at}`))).toEqual(['pd']);
    expect(await ids('Patient', f('_lastUpdated', `lt${at}`))).toEqual(['pa', 'pb', 'pc']);
    expect(await ids('Patient', f('_lastUpdated', 'gt2000', 'lt1990'))).toEqual(['pa', 'pb', 'pc', 'pd']);
    expect(await ids('Patient', f('_lastUpdated', 'le2000-01-01'))).toEqual([]);
    expect(await ids('Patient', f('_lastUpdated', at.slice(0, 4)))).toEqual(['pa', 'pb', 'pc', 'pd']);
    expect(await ids('Patient', f('_lastUpdated', `ne${at}`))).toEqual(['pa', 'pb', 'pc']);
  });

  it('matches tokens: code, system|code, |code, system|, OR, :not', async () => {
    expect(await ids('Observation', f('code', '8867-4'))).toEqual(['o1', 'o3']);
    expect(await ids('Observation', f('code', 'http://loinc.org|8310-5'))).toEqual(['o2']);
    expect(await ids('Observation', f('code', 'http://snomed.info/sct|8310-5'))).toEqual([]);
    expect(await ids('Observation', f('code', 'http://loinc.org|'))).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
    expect(await ids('Observation', f('code', '8310-5', '29463-7'))).toEqual(['o2', 'o4', 'o5']);
    expect(await ids('Patient', f('identifier', '|NOSYS'))).toEqual(['pd']);
    expect(await ids('Patient', f('identifier', '|MRN-1'))).toEqual([]);
    expect(await ids('Patient', f('identifier', 'http://hospital.example/mrn|'))).toEqual(['pa', 'pb']);
    expect(await ids('Patient', f('identifier', 'http://hospital.example/mrn|MRN-2'))).toEqual(['pb']);
    expect(await ids('Patient', f('gender', 'female', 'unknown'))).toEqual(['pc', 'pd']);
    expect(await ids('Patient', f('gender:not', 'male'))).toEqual(['pc', 'pd']);
    expect(await ids('Patient', f('_tag', 'http://example.org/tags|vip'))).toEqual(['pa']);
    expect(await ids('Observation', f('status', 'amended'))).toEqual(['o2']);
  });

  it('matches strings: normalised prefix by default, :exact, :contains', async () => {
    expect(await ids('Patient', f('family', 'CHAL'))).toEqual(['pa', 'pb']);
    expect(await ids('Patient', f('family', 'renee'))).toEqual(['pc']);
    expect(await ids('Patient', f('family', 'René'))).toEqual(['pc']);
    expect(await ids('Patient', f('family:exact', 'Chalmers'))).toEqual(['pa']);
    expect(await ids('Patient', f('family:exact', 'chalmers'))).toEqual([]);
    expect(await ids('Patient', f('family:contains', 'SMITH'))).toEqual(['pb']);
    expect(await ids('Patient', f('name', 'zoe'))).toEqual(['pc']);
    expect(await ids('Patient', f('family', 'chalmers', 'adams'))).toEqual(['pa', 'pb', 'pd']);
    // LIKE wildcards in a value are literal characters.
    expect(await ids('Patient', f('family', '%'))).toEqual([]);
    expect(await ids('Patient', f('family:contains', '_'))).toEqual([]);
  });

  it('matches :text on strings word by word (R5): each word starts a word of some part', async () => {
    expect(await ids('Patient', f('name:text', 'smith'))).toEqual(['pb']);
    expect(await ids('Patient', f('name:text', 'anna chal'))).toEqual(['pb']);
    expect(await ids('Patient', f('name:text', 'CHAL ann'))).toEqual(['pb']);
    expect(await ids('Patient', f('name:text', 'peter smith'))).toEqual([]);
    expect(await ids('Patient', f('name:text', 'zoe', 'peter'))).toEqual(['pa', 'pc', 'pd']);
    expect(await ids('Patient', f('name:text', 'mith'))).toEqual([]);
    expect(await ids('Patient', f('name:text', '%'))).toEqual([]);
  });

  it('ANDs repeated parameters', async () => {
    expect(await ids('Patient', f('family', 'chalmers'), f('given', 'peter'))).toEqual(['pa']);
    expect(await ids('Observation', f('subject', 'Patient/pa'), f('code', '8310-5'))).toEqual(['o2']);
    expect(await ids('Patient', f('family', 'chalmers'), f('family', 'renee'))).toEqual([]);
  });

  it('matches references: Type/id, bare id, :Type, absolute URL', async () => {
    expect(await ids('Observation', f('subject', 'Patient/pa'))).toEqual(['o1', 'o2', 'o4']);
    expect(await ids('Observation', f('subject', 'pa'))).toEqual(['o1', 'o2', 'o4', 'o5']);
    expect(await ids('Observation', f('subject:Patient', 'pa'))).toEqual(['o1', 'o2', 'o4']);
    expect(await ids('Observation', f('subject:Group', 'pa'))).toEqual(['o5']);
    expect(await ids('Observation', f('patient', 'pa'))).toEqual(['o1', 'o2', 'o4']);
    expect(await ids('Observation', f('subject', 'http://other.example/fhir/Patient/pa'))).toEqual(['o4']);
    expect(await ids('Observation', f('subject', 'Patient/pb', 'Group/pa'))).toEqual(['o3', 'o5']);
    expect(await ids('Observation', f('subject', 'Patient/pa/_history/1'))).toEqual(['o1', 'o2', 'o4']);
  });

  it('matches dates with every prefix and precision', async () => {
    expect(await ids('Observation', f('date', '2024-05-06'))).toEqual(['o1']);
    expect(await ids('Observation', f('date', '2024'))).toEqual(['o1', 'o2']);
    expect(await ids('Observation', f('date', '2024-05-06T07:08:09Z'))).toEqual(['o1']);
    expect(await ids('Observation', f('date', '2024-05-06T09:08:09+02:00'))).toEqual(['o1']);
    expect(await ids('Observation', f('date', 'ge2024-05-07'))).toEqual(['o2']);
    expect(await ids('Observation', f('date', 'gt2024-05-06'))).toEqual(['o2']);
    expect(await ids('Observation', f('date', 'lt2024'))).toEqual(['o3', 'o4', 'o5']);
    expect(await ids('Observation', f('date', 'le2023-01-01'))).toEqual(['o3', 'o4', 'o5']);
    expect(await ids('Observation', f('date', 'sa2023-12-31'))).toEqual(['o1', 'o2']);
    expect(await ids('Observation', f('date', 'eb2024-05-07'))).toEqual(['o1', 'o3', 'o4', 'o5']);
    expect(await ids('Observation', f('date', 'ne2024'))).toEqual(['o3', 'o4', 'o5']);
    expect(await ids('Observation', f('date', 'ge2023'), f('date', 'lt2024'))).toEqual(['o3']);
    expect(await ids('Patient', f('birthdate', '1990'))).toEqual(['pc']);
    expect(await ids('Patient', f('birthdate', '1990-06-15'))).toEqual([]);
    expect(await ids('Patient', f('birthdate', 'ap1990-06-15'))).toEqual(['pc']);
    // ap widens by 10% of the distance from today: 1989-03 is some 37 years ago, so ±3.7 years.
    expect(await ids('Patient', f('birthdate', '1989-03'))).toEqual([]);
    expect(await ids('Patient', f('birthdate', 'ap1989-03'))).toEqual(['pc']);
    expect(await ids('Patient', f('birthdate', 'ap1980'))).toEqual(['pb']);
  });

  it('matches numbers and quantities with prefixes, system and unit', async () => {
    expect(await ids('RiskAssessment', f('probability', '0.25'))).toEqual(['ra1']);
    expect(await ids('RiskAssessment', f('probability', 'gt0.5'))).toEqual(['ra2']);
    expect(await ids('RiskAssessment', f('probability', 'le0.8'))).toEqual(['ra1', 'ra2']);
    // Implicit precision: 0.3 means [0.25, 0.35), 0.2 means [0.15, 0.25).
    expect(await ids('RiskAssessment', f('probability', '0.3'))).toEqual(['ra1']);
    expect(await ids('RiskAssessment', f('probability', '0.2'))).toEqual([]);
    expect(await ids('RiskAssessment', f('probability', '0.250'))).toEqual(['ra1']);
    expect(await ids('Observation', f('value-quantity', '72'))).toEqual(['o1']);
    expect(await ids('Observation', f('value-quantity', '72.4'))).toEqual([]);
    expect(await ids('Observation', f('value-quantity', 'gt80'))).toEqual(['o3']);
    expect(await ids('Observation', f('value-quantity', 'ge80'))).toEqual(['o3', 'o4']);
    expect(await ids('Observation', f('value-quantity', 'lt70'))).toEqual(['o2', 'o5']);
    expect(await ids('Observation', f('value-quantity', '37.5|http://unitsofmeasure.org|Cel'))).toEqual([
      'o2',
    ]);
    expect(await ids('Observation', f('value-quantity', 'le100||/min'))).toEqual(['o1', 'o3']);
    expect(await ids('Observation', f('value-quantity', '37.5|http://example.org/units|Cel'))).toEqual([]);
  });

  it('matches uris: exact, :below, :above', async () => {
    expect(await ids('ValueSet', f('url', 'http://example.org/fhir/ValueSet/colours'))).toEqual(['vs1']);
    expect(await ids('ValueSet', f('url:below', 'http://example.org/fhir/'))).toEqual(['vs1', 'vs2']);
    expect(await ids('ValueSet', f('url:above', 'http://example.org/fhir/ValueSet/colours/v2'))).toEqual([
      'vs1',
    ]);
    expect(await ids('Patient', f('_profile', 'http://example.org/StructureDefinition/vip-patient'))).toEqual(
      ['pa'],
    );
  });

  it('supports :missing', async () => {
    expect(await ids('Patient', f('birthdate:missing', 'true'))).toEqual(['pd']);
    expect(await ids('Patient', f('birthdate:missing', 'false'))).toEqual(['pa', 'pb', 'pc']);
    expect(await ids('Patient', f('identifier:missing', 'true'))).toEqual(['pc']);
    expect(await ids('Observation', f('subject:missing', 'true'))).toEqual([]);
  });

  it('sorts by _id, _lastUpdated and by date, string and token parameters', async () => {
    const sorted = async (code: string, descending = false) =>
      (
        await repo.search({ resourceType: 'Patient', filters: [], sort: [{ code, descending }] })
      ).resources.map((r) => r.id);
    expect(await sorted('_id', true)).toEqual(['pd', 'pc', 'pb', 'pa']);
    expect((await sorted('_lastUpdated', true))[0]).toBe('pd');
    expect(await sorted('birthdate')).toEqual(['pa', 'pb', 'pc', 'pd']);
    expect(await sorted('birthdate', true)).toEqual(['pc', 'pb', 'pa', 'pd']);
    expect(await sorted('family')).toEqual(['pd', 'pa', 'pb', 'pc']);
    expect(await sorted('gender')).toEqual(['pc', 'pa', 'pb', 'pd']);
  });

  it('pages with _count and offset, tells whether more follow, and counts with _total', async () => {
    const page = (count: number, offset: number, total?: 'accurate') =>
      repo.search({
        resourceType: 'Patient',
        filters: [],
        sort: [{ code: '_id', descending: false }],
        count,
        offset,
        total,
      });
    const first = await page(2, 0);
    expect(first.resources.map((r) => r.id)).toEqual(['pa', 'pb']);
    expect(first.hasMore).toBe(true);
    expect(first.total).toBeUndefined();
    const last = await page(2, 2);
    expect(last.resources.map((r) => r.id)).toEqual(['pc', 'pd']);
    expect(last.hasMore).toBe(false);
    expect(last.total).toBe(4);
    expect((await page(1, 0, 'accurate')).total).toBe(4);
    expect(await page(2, 10, 'accurate')).toEqual({ resources: [], total: 4, hasMore: false });
    expect(await page(0, 0)).toEqual({ resources: [], total: 4, hasMore: true });
    const all = await repo.search({ resourceType: 'Observation', filters: [] });
    expect(all.resources).toHaveLength(5);
    expect(all.resources[0].resourceType).toBe('Observation');
  });

  it('runs a constant number of statements per page (no N+1): a probe or a count, then the page', async () => {
    const counter = countQueries(db);
    const counted = createRepository(counter.db);
    const result = await counted.search({ resourceType: 'Observation', filters: [f('subject', 'pa')] });
    expect(result.resources).toHaveLength(4);
    expect(result.total).toBe(4);
    // One index filter: a capped probe of its index rows, then the page (matches first).
    expect(counter.statements).toHaveLength(2);
    expect(counter.statements[0]).toMatch(/^SELECT count\(\*\) AS total FROM \(SELECT i\.rid/);
    expect(counter.statements[1]).toMatch(/OFFSET 0\) r ORDER BY/);
    const withTotal = await counted.search({
      resourceType: 'Observation',
      filters: [f('subject', 'pa')],
      total: 'accurate',
    });
    expect(withTotal.resources.map((r) => r.id)).toEqual(result.resources.map((r) => r.id));
    expect(withTotal.total).toBe(4);
    expect(counter.statements).toHaveLength(4);
    expect(counter.statements[2]).toMatch(/^SELECT count\(DISTINCT i\.rid\)/);
    // Nothing matches: the count (or the probe) says so and no page is read.
    const none = { resourceType: 'Observation', filters: [f('subject', 'nobody')] };
    expect(await counted.search({ ...none, total: 'accurate' })).toEqual({
      resources: [],
      total: 0,
      hasMore: false,
    });
    expect(await counted.search(none)).toEqual({ resources: [], total: 0, hasMore: false });
    expect(counter.statements).toHaveLength(6);
    // Two filters: no probe, one page statement.
    const two = await counted.search({
      resourceType: 'Observation',
      filters: [f('subject', 'pa'), f('status', 'final')],
    });
    expect(two.resources.length).toBeGreaterThan(0);
    expect(counter.statements).toHaveLength(7);
  });

  it('400s unknown parameters, bad modifiers and bad values, naming them', async () => {
    const bad = (resourceType: string, ...filters: SearchFilter[]) => status({ resourceType, filters });
    expect(await bad('Patient', f('shoe-size', '42'))).toEqual({
      status: 400,
      text: expect.stringContaining("'shoe-size'"),
    });
    expect(await bad('Patient', f('family:sounds-like', 'x'))).toMatchObject({
      status: 400,
      text: expect.stringContaining('sounds-like'),
    });
    expect(await bad('Observation', f('date', 'yesterday'))).toMatchObject({
      status: 400,
      text: expect.stringContaining('yesterday'),
    });
    expect(await bad('Observation', f('date', '2024-13'))).toMatchObject({ status: 400 });
    expect(await bad('Observation', f('value-quantity', 'lots'))).toMatchObject({ status: 400 });
    expect(await bad('Observation', f('value-quantity', '5|x'))).toMatchObject({ status: 400 });
    expect(await bad('Observation', f('subject', 'Practitioner/x'))).toMatchObject({ status: 400 });
    expect(await bad('Observation', f('subject:Practitioner', 'x'))).toMatchObject({ status: 400 });
    expect(await bad('Observation', f('subject', 'not a reference'))).toMatchObject({ status: 400 });
    expect(await bad('Patient', f('birthdate:missing', 'maybe'))).toMatchObject({ status: 400 });
    expect(await bad('Patient', f('_id', 'bad id!'))).toMatchObject({ status: 400 });
    expect(await bad('NotAType')).toMatchObject({ status: 400 });
    expect(
      await status({
        resourceType: 'Patient',
        filters: [],
        sort: [{ code: 'shoe-size', descending: false }],
      }),
    ).toMatchObject({
      status: 400,
    });
    expect(await status({ resourceType: 'Patient', filters: [], count: -1 })).toMatchObject({ status: 400 });
  });

  it('ignores empty values and presentation parameters', async () => {
    expect(await ids('Patient', f('family', ''), f('_summary', 'true'))).toEqual(['pa', 'pb', 'pc', 'pd']);
  });
});
