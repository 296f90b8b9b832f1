import { describe, expect, it } from 'vitest';
import { getSearchParameter, getSearchParameters, patientCompartmentParams } from '../index.js';
import { resourceTypes } from '../model/r4-model.js';
import { registeredParams } from './registry.js';

const RESOURCE_LEVEL = ['_id', '_lastUpdated', '_tag', '_profile', '_security', '_source'];

describe('getSearchParameter', () => {
  it('gives a shared parameter with its expression cut down to the type', () => {
    expect(getSearchParameter('Observation', 'patient')).toEqual({
      code: 'patient',
      type: 'reference',
      expression: 'Observation.subject.where(resolve() is Patient)',
      target: ['Patient'],
      url: 'http://hl7.org/fhir/SearchParameter/clinical-patient',
      description: 'The subject that the observation is about (if patient)',
    });
    expect(getSearchParameter('AllergyIntolerance', 'patient')?.expression).toBe(
      'AllergyIntolerance.patient',
    );
    expect(getSearchParameter('Observation', 'code')).toMatchObject({
      type: 'token',
      expression: 'Observation.code',
    });
    expect(getSearchParameter('MedicationRequest', 'code')?.expression).toBe(
      '(MedicationRequest.medication as CodeableConcept)',
    );
  });

  it('keeps every part of a union that belongs to the type', () => {
    expect(getSearchParameter('Condition', 'onset-date')?.expression).toBe(
      'Condition.onset.as(dateTime) | Condition.onset.as(Period)',
    );
    expect(getSearchParameter('DocumentReference', 'identifier')?.expression).toBe(
      'DocumentReference.masterIdentifier | DocumentReference.identifier',
    );
  });

  it('qualifies expressions written relative to the resource (InsurancePlan name | alias)', () => {
    expect(getSearchParameter('InsurancePlan', 'name')?.expression).toBe(
      'InsurancePlan.name | InsurancePlan.alias',
    );
  });

  it('narrows reference targets to the type a where(resolve() is T) filter allows', () => {
    expect(getSearchParameter('Appointment', 'practitioner')?.target).toEqual(['Practitioner']);
    expect(getSearchParameter('Observation', 'subject')?.target).toEqual(
      expect.arrayContaining(['Patient', 'Group', 'Device', 'Location']),
    );
  });

  it('types the parameters as R4 does', () => {
    expect(getSearchParameter('Patient', 'birthdate')?.type).toBe('date');
    expect(getSearchParameter('Patient', 'name')).toMatchObject({
      type: 'string',
      expression: 'Patient.name',
    });
    expect(getSearchParameter('Observation', 'value-quantity')?.type).toBe('quantity');
    expect(getSearchParameter('Observation', 'code-value-quantity')?.type).toBe('composite');
    expect(getSearchParameter('RiskAssessment', 'probability')?.type).toBe('number');
    expect(getSearchParameter('ValueSet', 'url')?.type).toBe('uri');
  });

  it('is undefined for an unknown code or type, and knows only the R4 core parameters', () => {
    expect(getSearchParameter('Observation', 'no-such-code')).toBeUndefined();
    expect(getSearchParameter('NoSuchType', '_id')).toBeUndefined();
    expect(getSearchParameter('observation', 'code')).toBeUndefined();
    // US Core (race) and Medplum (_compartment) extras are not loaded.
    expect(getSearchParameter('Patient', 'race')).toBeUndefined();
    expect(getSearchParameter('Patient', '_compartment')).toBeUndefined();
  });

  it('hands out frozen definitions', () => {
    const def = getSearchParameter('Patient', 'name')!;
    expect(() => {
      (def as { code: string }).code = 'x';
    }).toThrow(TypeError);
    expect(getSearchParameter('Patient', 'name')?.code).toBe('name');
  });
});

describe('getSearchParameters', () => {
  it('lists the Resource-level parameters for every one of the 146 R4 resource types', () => {
    expect(resourceTypes.size).toBe(146);
    for (const type of resourceTypes) {
      const codes = getSearchParameters(type).map((p) => p.code);
      expect(codes, type).toEqual(expect.arrayContaining(RESOURCE_LEVEL));
    }
    expect(getSearchParameter('Binary', '_lastUpdated')?.expression).toBe('Resource.meta.lastUpdated');
    expect(getSearchParameter('Parameters', '_tag')?.expression).toBe('Resource.meta.tag');
  });

  it('gives _text to DomainResources only, without an expression', () => {
    expect(getSearchParameter('Patient', '_text')).toMatchObject({ type: 'string', expression: undefined });
    expect(getSearchParameter('Bundle', '_text')).toBeUndefined();
  });

  it("lists a type's own parameters after the Resource-level ones, each code once", () => {
    const codes = getSearchParameters('Patient').map((p) => p.code);
    expect(codes.indexOf('_id')).toBeLessThan(codes.indexOf('birthdate'));
    expect(codes).toEqual(
      expect.arrayContaining(['name', 'family', 'given', 'identifier', 'birthdate', 'gender']),
    );
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('is empty for an unknown type', () => {
    expect(getSearchParameters('NoSuchType')).toEqual([]);
  });
});

describe('expression compilation', () => {
  it('leaves only the known odd shapes to fhirpath', () => {
    const fallbacks: string[] = [];
    let fast = 0;
    for (const type of resourceTypes) {
      for (const [code, p] of registeredParams(type)) {
        fast += p.compiled?.fastParts.length ?? 0;
        for (const part of p.compiled?.fallbackParts ?? []) fallbacks.push(`${type}.${code}: ${part}`);
      }
    }
    expect(fallbacks.sort()).toEqual([
      'Bundle.composition: Bundle.entry[0].resource',
      'Bundle.message: Bundle.entry[0].resource',
      // Not an R4 element (the definitions package patches it in); the R4 model does not know it.
      'DeviceDefinition.classification: DeviceDefinition.classification.type',
      'Patient.deceased: Patient.deceased.exists() and Patient.deceased != false',
    ]);
    expect(fast).toBeGreaterThan(2500);
  });
});

describe('patientCompartmentParams', () => {
  it('gives the codes by which a type belongs to the Patient compartment', () => {
    expect(patientCompartmentParams('Observation')).toEqual(['subject', 'performer']);
    expect(patientCompartmentParams('AllergyIntolerance')).toEqual(['patient', 'recorder', 'asserter']);
    expect(patientCompartmentParams('Patient')).toEqual(['link']);
  });

  it('is empty for types outside the compartment and unknown types', () => {
    expect(patientCompartmentParams('Organization')).toEqual([]);
    expect(patientCompartmentParams('NoSuchType')).toEqual([]);
  });

  it('names only parameters that exist for the type', () => {
    for (const type of resourceTypes) {
      for (const code of patientCompartmentParams(type))
        expect(getSearchParameter(type, code), `${type}.${code}`).toBeDefined();
    }
  });

  it('returns a copy the caller may change', () => {
    patientCompartmentParams('Observation').push('x');
    expect(patientCompartmentParams('Observation')).toEqual(['subject', 'performer']);
  });
});
