import { describe, expect, it } from 'vitest';
import { requiredValueSetCodes } from './valuesets.js';

describe('requiredValueSetCodes', () => {
  it('expands a value set that includes a whole code system', () => {
    const status = requiredValueSetCodes('http://hl7.org/fhir/ValueSet/observation-status');
    expect([...(status?.codes ?? [])].sort()).toEqual(
      [
        'amended',
        'cancelled',
        'corrected',
        'entered-in-error',
        'final',
        'preliminary',
        'registered',
        'unknown',
      ].sort(),
    );
    expect(status?.systems.get('http://hl7.org/fhir/observation-status')?.has('final')).toBe(true);
  });

  it('includes the nested concepts of a code system hierarchy', () => {
    // condition-clinical nests recurrence and relapse under active, remission and resolved under inactive.
    const clinical = requiredValueSetCodes('http://hl7.org/fhir/ValueSet/condition-clinical');
    expect([...(clinical?.codes ?? [])].sort()).toEqual(
      ['active', 'inactive', 'recurrence', 'relapse', 'remission', 'resolved'].sort(),
    );
  });

  it('expands a compose that lists concepts of an external code system', () => {
    const units = requiredValueSetCodes('http://hl7.org/fhir/ValueSet/units-of-time');
    expect([...(units?.systems.keys() ?? [])]).toEqual(['http://unitsofmeasure.org']);
    expect([...(units?.codes ?? [])].sort()).toEqual(['a', 'd', 'h', 'min', 'mo', 's', 'wk']);
  });

  it('unions several code systems and reads HL7 v3 code systems from their own file', () => {
    const timing = requiredValueSetCodes('http://hl7.org/fhir/ValueSet/event-timing');
    expect(timing?.codes.has('MORN')).toBe(true); // http://hl7.org/fhir/event-timing
    expect(timing?.codes.has('HS')).toBe(true); // v3-TimingEvent
    const confidentiality = requiredValueSetCodes(
      'http://terminology.hl7.org/ValueSet/v3-ConfidentialityClassification',
    );
    expect([...(confidentiality?.codes ?? [])].sort()).toEqual(['L', 'M', 'N', 'R', 'U', 'V']);
  });

  it('knows the R4 resource types as codes', () => {
    expect(requiredValueSetCodes('http://hl7.org/fhir/ValueSet/resource-types')?.codes.has('Patient')).toBe(
      true,
    );
  });

  it.each([
    ['MIME types (external BCP-13)', 'http://hl7.org/fhir/ValueSet/mimetypes'],
    ['currencies (external ISO 4217)', 'http://hl7.org/fhir/ValueSet/currencies'],
    ['UCUM units (external, by filter)', 'http://hl7.org/fhir/ValueSet/ucum-units'],
    ['a value set that is not a required binding', 'http://hl7.org/fhir/ValueSet/observation-codes'],
  ])('cannot expand %s', (_name, url) => {
    expect(requiredValueSetCodes(url)).toBeUndefined();
  });
});
