import { describe, expect, it } from 'vitest';
import { evaluateExpression, runnableExpression } from '../fhirpath-values.js';
import { compareRanges, dateMatches, instantRange } from './date.js';
import { numberSatisfies, quantityMatches } from './quantity.js';
import { referenceMatches } from './reference.js';
import { splitUnescaped } from './search-value.js';
import { stringMatches } from './string.js';
import { tokenHasValue, tokenMatches, tokenTextMatches } from './token.js';

// The in-memory evaluator is the reference the SQL engine is judged by: its R4 rules are pinned here.

const day = (text: string) => instantRange(text) ?? { start: Number.NaN, end: Number.NaN };

describe('date ranges and prefixes (R4 search.html#date)', () => {
  it('gives each precision its range, in UTC unless an offset is written', () => {
    expect(day('2020')).toEqual({ start: Date.UTC(2020, 0, 1), end: Date.UTC(2021, 0, 1) });
    expect(day('2020-02')).toEqual({ start: Date.UTC(2020, 1, 1), end: Date.UTC(2020, 2, 1) });
    expect(day('2020-03-04T10:00:00+02:00').start).toBe(Date.UTC(2020, 2, 4, 8));
    expect(day('2020-03-04T10:00:00.5Z')).toEqual({
      start: Date.UTC(2020, 2, 4, 10, 0, 0, 500),
      end: Date.UTC(2020, 2, 4, 10, 0, 0, 600),
    });
    expect(instantRange('March 2020')).toBeUndefined();
  });

  it('applies ge and le as "beyond, or contained", not "overlapping"', () => {
    const birth = day('1981-02-02');
    const midnight = day('1981-02-02T00:00:00Z');
    expect(compareRanges('le', birth, midnight)).toBe(false);
    expect(compareRanges('le', birth, midnight, 'overlap')).toBe(true);
    expect(compareRanges('ge', birth, midnight)).toBe(true); // the day reaches beyond that second
    expect(compareRanges('eq', midnight, birth)).toBe(true);
    expect(compareRanges('ne', birth, midnight)).toBe(true);
    expect(compareRanges('sa', day('1981-02-03'), birth)).toBe(true);
    expect(compareRanges('eb', day('1981-02-01'), birth)).toBe(true);
  });

  it('treats an open Period end as unbounded', () => {
    const open = { type: 'Period', value: { start: '2020-01-01T00:00:00Z' } };
    expect(dateMatches(open, 'gt2999')).toBe(true);
    expect(dateMatches(open, 'lt2020')).toBe(false);
  });
});

describe('numbers and quantities (R4 search.html#number, #quantity)', () => {
  it('uses the precision of the search value for eq, exactly', () => {
    expect(numberSatisfies('100', 99.5)).toBe(true);
    expect(numberSatisfies('100', 100.5)).toBe(false);
    expect(numberSatisfies('81.36432041881469', 81.36432041881469)).toBe(true);
    expect(numberSatisfies('gt100', 100.1)).toBe(true);
    expect(numberSatisfies('ap100', 109)).toBe(true);
  });

  it('matches value|system|code on system and code, value||code on code or unit', () => {
    const kg = {
      type: 'Quantity',
      value: { value: 80, system: 'http://unitsofmeasure.org', code: 'kg', unit: 'kilo' },
    };
    expect(quantityMatches(kg, '80|http://unitsofmeasure.org|kg')).toBe(true);
    expect(quantityMatches(kg, '80|http://other|kg')).toBe(false);
    expect(quantityMatches(kg, '80||kilo')).toBe(true);
  });
});

describe('tokens, strings, references', () => {
  const concept = {
    type: 'CodeableConcept',
    value: { coding: [{ system: 's', code: 'c', display: 'Zoë, B' }], text: 'Left' },
  };

  it('reads the token forms and escapes', () => {
    expect(splitUnescaped('a\\|b|c', '|')).toEqual(['a|b', 'c']);
    expect(tokenMatches(concept, 's|c')).toBe(true);
    expect(tokenMatches(concept, '|c')).toBe(false);
    expect(tokenMatches(concept, 's|')).toBe(true);
    expect(tokenTextMatches(concept, 'zoe\\, b')).toBe(true);
    expect(tokenTextMatches(concept, 'zoe\\, b', { conceptTextOnly: true })).toBe(false);
    expect(tokenHasValue({ type: 'CodeableConcept', value: { text: 'only text' } })).toBe(true);
  });

  it('matches strings by folded prefix, :exact as written, :contains anywhere', () => {
    const name = { type: 'HumanName', value: { family: 'Renée', given: ['Zoë'] } };
    expect(stringMatches(name, 'rene', undefined)).toBe(true);
    expect(stringMatches(name, 'Renee', 'exact')).toBe(false);
    expect(stringMatches(name, 'NÉE', 'contains')).toBe(true);
  });

  it('matches Type/id, typed bare ids, and canonicals by their text only', () => {
    const ref = { type: 'Reference', value: { reference: 'Patient/1' } };
    expect(referenceMatches(ref, 'Patient/1', undefined, ['Patient', 'Group'])).toBe(true);
    expect(referenceMatches(ref, '1', 'Group', ['Patient', 'Group'])).toBe(false);
    expect(referenceMatches(ref, '1', undefined, ['Patient', 'Group'])).toBe(true);
    const canonical = { type: 'canonical', value: 'http://hl7.org/fhir/ValueSet/x' };
    expect(referenceMatches(canonical, 'ValueSet/x', undefined, ['ValueSet'])).toBe(false);
    expect(referenceMatches(canonical, 'http://hl7.org/fhir/ValueSet/x', undefined, ['ValueSet'])).toBe(true);
  });
});

describe('expressions', () => {
  it('replaces resolve() and applies as() to collections', () => {
    expect(runnableExpression('Observation.subject.where(resolve() is Patient)')).not.toContain('resolve');
    const obs = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'bp' },
      subject: { reference: 'Group/9' },
      component: [
        { code: { text: 'a' }, valueQuantity: { value: 1 } },
        { code: { text: 'b' }, valueQuantity: { value: 2 } },
      ],
    };
    expect(evaluateExpression(obs, 'Observation.subject.where(resolve() is Patient)')).toEqual([]);
    const values = evaluateExpression(obs, '(Observation.component.value as Quantity)');
    expect(values.map((v) => v.type)).toEqual(['Quantity', 'Quantity']);
  });
});
