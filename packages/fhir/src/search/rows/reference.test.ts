import { describe, expect, it } from 'vitest';
import type { Resource } from '../../types.js';
import { extractIndexes, parseReference } from '../index.js';

function refs(resource: Resource, param: string) {
  return extractIndexes(resource)
    .reference.filter((r) => r.param === param)
    .map(({ targetType, targetId, url }) => [targetType, targetId, url]);
}

const observation = (subject: unknown, extra: Partial<Resource> = {}): Resource => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'x' },
  subject,
  ...extra,
});

describe('parseReference', () => {
  it('reads relative, versioned and absolute references', () => {
    expect(parseReference('Patient/123')).toEqual({ type: 'Patient', id: '123', version: undefined });
    expect(parseReference('Patient/123/_history/2')).toEqual({ type: 'Patient', id: '123', version: '2' });
    expect(parseReference('http://x/fhir/Patient/123')).toEqual({
      type: 'Patient',
      id: '123',
      version: undefined,
    });
    expect(parseReference('https://x.org/base/r4/Observation/a.b-c/_history/7')).toEqual({
      type: 'Observation',
      id: 'a.b-c',
      version: '7',
    });
  });

  it('refuses what has no FHIR type and id', () => {
    for (const ref of [
      '#p1',
      'urn:uuid:36b0075a-44ae-459c-92a6-d83e037fd064',
      'urn:oid:1.2.3',
      'Patient?identifier=urn:mrn|123',
      'NotAType/123',
      'Patient/',
      'Patient/123/extra',
      `Patient/${'x'.repeat(65)}`,
      'patient/123',
      '',
    ]) {
      expect(parseReference(ref), ref).toBeUndefined();
    }
  });
});

describe('reference rows', () => {
  it('relative, versioned and absolute references give type and id; url as written', () => {
    expect(refs(observation({ reference: 'Patient/123' }), 'subject')).toEqual([
      ['Patient', '123', 'Patient/123'],
    ]);
    expect(refs(observation({ reference: 'Patient/123/_history/2' }), 'subject')).toEqual([
      ['Patient', '123', 'Patient/123/_history/2'],
    ]);
    expect(refs(observation({ reference: 'http://x/fhir/Patient/123' }), 'subject')).toEqual([
      ['Patient', '123', 'http://x/fhir/Patient/123'],
    ]);
  });

  it('urn:uuid and other non-FHIR references keep only the url', () => {
    const uuid = 'urn:uuid:36b0075a-44ae-459c-92a6-d83e037fd064';
    expect(refs(observation({ reference: uuid }), 'subject')).toEqual([[null, null, uuid]]);
    expect(refs(observation({ reference: 'Unknown/1' }), 'subject')).toEqual([[null, null, 'Unknown/1']]);
  });

  it('#contained references give a url-only row; identifier-only and display-only ones none', () => {
    const contained = observation(
      { reference: '#p1' },
      { contained: [{ resourceType: 'Patient', id: 'p1' }] },
    );
    expect(refs(contained, 'subject')).toEqual([[null, null, '#p1']]);
    expect(refs(contained, 'patient')).toEqual([[null, null, '#p1']]);
    expect(refs(observation({ identifier: { system: 'urn:mrn', value: '1' } }), 'subject')).toEqual([]);
    expect(refs(observation({ display: 'Ada' }), 'subject')).toEqual([]);
  });

  it('where(resolve() is Patient) keeps only Patient targets (Observation.patient)', () => {
    expect(refs(observation({ reference: 'Patient/p1' }), 'patient')).toEqual([
      ['Patient', 'p1', 'Patient/p1'],
    ]);
    expect(refs(observation({ reference: 'Group/g1' }), 'patient')).toEqual([]);
    expect(refs(observation({ reference: 'Group/g1' }), 'subject')).toEqual([['Group', 'g1', 'Group/g1']]);
    expect(refs(observation({ reference: 'http://x/fhir/Patient/p2' }), 'patient')).toEqual([
      ['Patient', 'p2', 'http://x/fhir/Patient/p2'],
    ]);
    // Without a type in the reference, Reference.type decides.
    const typed = observation({ reference: 'urn:uuid:abc', type: 'Patient' });
    expect(refs(typed, 'patient')).toEqual([[null, null, 'urn:uuid:abc']]);
    expect(refs(observation({ reference: 'urn:uuid:abc' }), 'patient')).toEqual([]);
  });

  it('splits one element by target type (Appointment actors)', () => {
    const appt: Resource = {
      resourceType: 'Appointment',
      status: 'booked',
      participant: [
        { actor: { reference: 'Patient/p1' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/dr1' }, status: 'accepted' },
        { actor: { reference: 'Location/room1' }, status: 'accepted' },
      ],
    };
    expect(refs(appt, 'patient')).toEqual([['Patient', 'p1', 'Patient/p1']]);
    expect(refs(appt, 'practitioner')).toEqual([['Practitioner', 'dr1', 'Practitioner/dr1']]);
    expect(refs(appt, 'location')).toEqual([['Location', 'room1', 'Location/room1']]);
    expect(refs(appt, 'actor')).toHaveLength(3);
  });

  it('canonical targets keep the url, version included', () => {
    const qr: Resource = {
      resourceType: 'QuestionnaireResponse',
      status: 'completed',
      questionnaire: 'http://example.org/Questionnaire/phq9|2.0',
    };
    expect(refs(qr, 'questionnaire')).toEqual([[null, null, 'http://example.org/Questionnaire/phq9|2.0']]);
  });

  it('choice elements index only their Reference alternative (MedicationRequest.medication)', () => {
    const byRef: Resource = {
      resourceType: 'MedicationRequest',
      medicationReference: { reference: 'Medication/m1' },
    };
    expect(refs(byRef, 'medication')).toEqual([['Medication', 'm1', 'Medication/m1']]);
    const byCode: Resource = {
      resourceType: 'MedicationRequest',
      medicationCodeableConcept: { text: 'aspirin' },
    };
    expect(refs(byCode, 'medication')).toEqual([]);
  });

  it('skips references of the wrong shape', () => {
    expect(refs(observation('Patient/1'), 'subject')).toEqual([]);
    expect(refs(observation({ reference: 42 }), 'subject')).toEqual([]);
    expect(refs(observation([{ reference: 'Patient/1' }]), 'subject')).toEqual([
      ['Patient', '1', 'Patient/1'],
    ]);
  });
});
