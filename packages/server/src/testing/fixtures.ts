import { randomUUID } from 'node:crypto';
import type { Resource } from '@hospitium/fhir';

/** An identifier system of our own for test data; each fixture gets a fresh value. */
export const testIdentifierSystem = 'http://hospitium.test/mrn';

/** A valid Patient with a unique MRN (so tests sharing a database never collide). */
export function testPatient(
  overrides: Partial<Resource> = {},
): Resource & { identifier: { system: string; value: string }[] } {
  return {
    resourceType: 'Patient',
    identifier: [{ system: testIdentifierSystem, value: randomUUID() }],
    active: true,
    name: [{ family: 'Nightingale', given: ['Florence'] }],
    gender: 'female',
    birthDate: '1820-05-12',
    ...overrides,
  } as Resource & { identifier: { system: string; value: string }[] };
}

/** A valid vital-signs Observation about `patientRef` (e.g. `Patient/123` or a urn:uuid). */
export function testObservation(patientRef: string, overrides: Partial<Resource> = {}): Resource {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: patientRef },
    effectiveDateTime: '2024-01-15T08:30:00Z',
    valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
    ...overrides,
  };
}

/** `system|value` search token of a fixture Patient. */
export function mrnToken(patient: { identifier: { system: string; value: string }[] }): string {
  return `${patient.identifier[0].system}|${patient.identifier[0].value}`;
}
