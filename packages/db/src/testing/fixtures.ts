import type { Resource } from '@hospitium/fhir';

/** Named test resources, valid R4, small enough to read in a failing assertion. */

export function testPatient(
  overrides: Partial<Resource> & { family?: string; given?: string } = {},
): Resource {
  const { family = 'Chalmers', given = 'Peter', ...rest } = overrides;
  return {
    resourceType: 'Patient',
    active: true,
    name: [{ use: 'official', family, given: [given] }],
    gender: 'male',
    birthDate: '1974-12-25',
    ...rest,
  };
}

export interface TestObservationOptions {
  patientId?: string;
  loinc?: string;
  value?: number;
  unit?: string;
  effective?: string;
  status?: string;
}

export function testObservation(options: TestObservationOptions = {}): Resource {
  const {
    patientId = 'p1',
    loinc = '8867-4',
    value = 72,
    unit = '/min',
    effective = '2024-05-06T07:08:09Z',
  } = options;
  return {
    resourceType: 'Observation',
    status: options.status ?? 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: effective,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
}
