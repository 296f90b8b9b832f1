import { describe, expect, it } from 'vitest';
import { parseSimplePath } from './parse.js';
import { partsForType, splitUnion } from './union.js';

describe('splitUnion / partsForType', () => {
  it('splits at top-level bars only', () => {
    expect(splitUnion("A.b | (A.c as Quantity) | A.d.where(system='x|y')")).toEqual([
      'A.b',
      '(A.c as Quantity)',
      "A.d.where(system='x|y')",
    ]);
  });

  it('keeps the parts of the type and of its base types', () => {
    const chain = ['Observation', 'DomainResource', 'Resource'];
    expect(partsForType('AllergyIntolerance.code | Condition.code | Observation.code', chain)).toEqual([
      'Observation.code',
    ]);
    expect(
      partsForType(
        '(MedicationRequest.medication as CodeableConcept) | (Observation.value as Quantity)',
        chain,
      ),
    ).toEqual(['(Observation.value as Quantity)']);
    expect(partsForType('Resource.meta.tag', chain)).toEqual(['Resource.meta.tag']);
    expect(partsForType('name | alias', ['InsurancePlan'])).toEqual([
      'InsurancePlan.name',
      'InsurancePlan.alias',
    ]);
    expect(partsForType('Patient.name', chain)).toEqual([]);
  });
});

describe('parseSimplePath', () => {
  it('parses dotted paths and the type filters', () => {
    expect(parseSimplePath('Patient.name.given')).toEqual({
      root: 'Patient',
      steps: [
        { kind: 'child', name: 'name' },
        { kind: 'child', name: 'given' },
      ],
    });
    expect(parseSimplePath('(Observation.value as CodeableConcept).text')).toEqual({
      root: 'Observation',
      steps: [
        { kind: 'child', name: 'value' },
        { kind: 'ofType', type: 'CodeableConcept' },
        { kind: 'child', name: 'text' },
      ],
    });
    expect(parseSimplePath('Condition.onset.as(Age)')?.steps.at(-1)).toEqual({ kind: 'ofType', type: 'Age' });
    expect(parseSimplePath('X.y.ofType(Period)')?.steps.at(-1)).toEqual({ kind: 'ofType', type: 'Period' });
  });

  it('parses the where() filters search parameters use', () => {
    expect(parseSimplePath('Observation.subject.where(resolve() is Patient)')?.steps.at(-1)).toEqual({
      kind: 'whereResolveIs',
      type: 'Patient',
    });
    expect(parseSimplePath("Patient.telecom.where(system='email')")?.steps.at(-1)).toEqual({
      kind: 'whereEquals',
      name: 'system',
      value: 'email',
    });
    expect(
      parseSimplePath("ActivityDefinition.relatedArtifact.where(type='composed-of').resource")?.steps,
    ).toHaveLength(3);
  });

  it('refuses everything else, so fhirpath evaluates it', () => {
    for (const expr of [
      'Bundle.entry[0].resource',
      'Patient.deceased.exists() and Patient.deceased != false',
      'Patient.name.first()',
      "Patient.telecom.where(system='a\\'b')",
      'Observation.subject.where(resolve() is Patient or resolve() is Group)',
      '(Observation.value as Quantity',
      'Patient.name.',
      '',
    ]) {
      expect(parseSimplePath(expr), expr).toBeUndefined();
    }
  });
});
