import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../data/random.mjs';
import { findQueriesFile } from './queries-file.mjs';
import { expandShape, parseQueryShapes, type SamplePools, varyValue } from './shapes.mjs';

const yaml = `
queries:
  - name: capability_statement
    resource_type: Metadata
    complexity: OPERATION
    path: metadata
  - name: patient_by_family_prefix
    resource_type: Patient
    path: Patient
    params:
      family: S
      _count: "5"
  - name: q7_error_unsupported_param
    resource_type: Patient
    path: Patient
    loadtest: "skip:intentional_4xx"
    params:
      this-is-not-a-real-param: garbage
  - name: observations_for_patient
    resource_type: Observation
    path: Observation
    params:
      patient: "Patient/{{patient_id}}"
      _count: "20"
    sample:
      patient_id: patient_id
  - name: patient_read_by_id
    resource_type: Patient
    path: "Patient/{{patient_id}}"
    sample:
      patient_id: patient_id
  - name: observation_recent
    resource_type: Observation
    path: Observation
    params:
      date: ge2020-01-01
  - name: observation_by_height
    resource_type: Observation
    path: Observation
    params:
      code: "http://loinc.org|8302-2"
`;

const pools: SamplePools = {
  patient_id: ['p1', 'p2', 'p3'],
  patient_family: ['Gottlieb', 'Kuhn'],
  patient_given: ['Ana', 'Lupe'],
  observation_date: ['2017-03-04', '2023-11-30'],
  city: ['Worcester'],
  words: { Condition: ['hypertension'] },
};

describe('parseQueryShapes', () => {
  const shapes = parseQueryShapes(yaml);

  it('reads every query with its parameters, sampling pools and load-test status', () => {
    expect(shapes.map((s) => s.name)).toEqual([
      'capability_statement',
      'patient_by_family_prefix',
      'q7_error_unsupported_param',
      'observations_for_patient',
      'patient_read_by_id',
      'observation_recent',
      'observation_by_height',
    ]);
    expect(shapes[1]).toMatchObject({
      resourceType: 'Patient',
      complexity: 'SIMPLE',
      method: 'GET',
      params: [
        ['family', 'S'],
        ['_count', '5'],
      ],
      load: true,
    });
    expect(shapes[2]).toMatchObject({ load: false, skipReason: 'intentional_4xx' });
    expect(shapes[3].sample).toEqual({ patient_id: 'patient_id' });
  });

  it('refuses a file without a queries list or with a nameless query', () => {
    expect(() => parseQueryShapes('other: 1')).toThrow(/queries/);
    expect(() => parseQueryShapes('queries:\n  - path: Patient\n')).toThrow(/#1/);
  });

  const file = findQueriesFile();
  it.skipIf(!file)('parses the peer suite file itself (skipped: peer-suites not beside the checkout)', () => {
    const all = parseQueryShapes(readFileSync(file!, 'utf8'));
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((s) => s.load).length).toBeGreaterThan(15);
    expect(all.find((s) => s.name === 'observations_for_patient')?.sample).toEqual({
      patient_id: 'patient_id',
    });
  });
});

describe('expandShape', () => {
  const shapes = parseQueryShapes(yaml);
  const byName = (n: string) => shapes.find((s) => s.name === n)!;

  it('fills placeholders in the path and the parameters from the named pool', () => {
    const random = seededRandom(1);
    const read = expandShape(byName('patient_read_by_id'), pools, random);
    expect(read.path).toMatch(/^Patient\/p[123]$/);
    const obs = expandShape(byName('observations_for_patient'), pools, random);
    expect(obs.path).toMatch(/^Observation\?patient=Patient%2Fp[123]&_count=20$/);
    expect(obs.drawn).toBe(true);
  });

  it('draws different values across requests, so no two runs of a shape need be the same query', () => {
    const random = seededRandom(7);
    const paths = new Set(
      Array.from({ length: 50 }, () => expandShape(byName('observations_for_patient'), pools, random).path),
    );
    expect(paths.size).toBe(3);
  });

  it('keeps the shape of fixed values: prefix length, date precision and comparator', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 20; i++) {
      expect(expandShape(byName('patient_by_family_prefix'), pools, random).path).toMatch(
        /^Patient\?family=[GK]&_count=5$/,
      );
      expect(expandShape(byName('observation_recent'), pools, random).path).toMatch(
        /^Observation\?date=ge(2017-03-04|2023-11-30)$/,
      );
    }
  });

  it('leaves the codes and enumerations that define a shape as they are', () => {
    const r = expandShape(byName('observation_by_height'), pools, seededRandom(1));
    expect(r).toEqual({ path: 'Observation?code=http%3A%2F%2Floinc.org%7C8302-2', drawn: false });
    expect(expandShape(byName('capability_statement'), pools, seededRandom(1))).toEqual({
      path: 'metadata',
      drawn: false,
    });
  });

  it('names the empty pool instead of sending a query with a hole in it', () => {
    const r = expandShape(byName('patient_read_by_id'), { ...pools, patient_id: [] }, seededRandom(1));
    expect(r).toEqual({ missing: 'patient_id' });
  });
});

describe('varyValue', () => {
  const random = seededRandom(11);
  it('draws :text substrings from loaded names and full-text terms from loaded words', () => {
    const name = varyValue('Patient', 'name:text', 'ohn', pools, random);
    expect(name.drawn).toBe(true);
    expect(name.value).toHaveLength(3);
    expect(['gottlieb', 'kuhn', 'ana', 'lupe'].some((n) => n.includes(name.value))).toBe(true);
    expect(varyValue('Patient', 'address:text', 'Boston', pools, random)).toEqual({
      value: 'Worcester',
      drawn: true,
    });
    expect(varyValue('Condition', 'code:text', 'hypertensive', pools, random).value).toBe('hypertension');
    expect(varyValue('Patient', '_content', 'Smith', pools, random).value).toMatch(/^(Gottlieb|Kuhn)$/);
  });

  it('keeps a value when the data has nothing to draw from', () => {
    expect(varyValue('Observation', '_content', 'blood', pools, random)).toEqual({
      value: 'blood',
      drawn: false,
    });
    expect(varyValue('Patient', 'gender', 'male', pools, random)).toEqual({ value: 'male', drawn: false });
  });
});
