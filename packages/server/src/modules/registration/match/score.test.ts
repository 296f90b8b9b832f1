import { describe, expect, it } from 'vitest';
import type { Patient } from './patient-fields.js';
import { birthDateScore, identifierScore, nameScore, scorePatient } from './score.js';
import { jaroWinkler, nameTokens, phoneticKey, tokenSimilarity } from './similarity.js';

const john: Patient = {
  resourceType: 'Patient',
  name: [{ use: 'official', family: 'Smith', given: ['John', 'Paul'] }],
  birthDate: '1980-03-04',
  gender: 'male',
  address: [{ line: ['12 Oak Street'], city: 'Springfield', postalCode: '62701' }],
  telecom: [{ system: 'phone', value: '(555) 123-4567' }],
  identifier: [
    { system: 'http://hospitium.org/fhir/sid/mrn', value: '47000123' },
    { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456' },
  ],
};
const patient = (p: Omit<Patient, 'resourceType'>): Patient => ({ resourceType: 'Patient', ...p });

describe('name similarity', () => {
  it('forgives a transposition and a dropped letter, not a different name', () => {
    expect(jaroWinkler('smith', 'smtih')).toBeGreaterThan(0.9);
    expect(tokenSimilarity('john', 'jhon')).toBeGreaterThan(0.9);
    expect(tokenSimilarity('smith', 'jones')).toBeLessThan(0.6);
    expect(jaroWinkler('', 'a')).toBe(0);
  });

  it('hears sound-alikes as alike', () => {
    expect(phoneticKey('Catherine')).toBe(phoneticKey('Kathryn'));
    expect(phoneticKey('Smith')).toBe(phoneticKey('Smyth'));
    expect(phoneticKey('Smith')).not.toBe(phoneticKey('Jones'));
    expect(phoneticKey('')).toBe('');
  });

  it('normalises accents, case and punctuation into words', () => {
    expect(nameTokens("  José-María O'Neil ")).toEqual(['jose', 'maria', 'oneil']);
    expect(nameTokens('   ')).toEqual([]);
  });

  it('matches swapped given and family names, at a small discount', () => {
    const swapped = nameScore([{ family: 'John', given: ['Smtih'] }], john.name ?? []);
    expect(swapped).toBeGreaterThan(0.85);
    expect(swapped).toBeLessThan(nameScore([{ family: 'Smith', given: ['John'] }], john.name ?? []));
  });

  it('reads a text-only name with the family name last', () => {
    expect(nameScore([{ text: 'john smith' }], john.name ?? [])).toBe(1);
  });
});

describe('birth dates', () => {
  it('scores exact, swapped day and month, one mistyped digit, and others', () => {
    expect(birthDateScore('1980-03-04', '1980-03-04')).toBe(1);
    expect(birthDateScore('1980-04-03', '1980-03-04')).toBe(0.8);
    expect(birthDateScore('1981-03-04', '1980-03-04')).toBe(0.7);
    expect(birthDateScore('1980-11-20', '1980-03-04')).toBe(0.2);
    expect(birthDateScore('1975-11-20', '1980-03-04')).toBe(0);
    expect(birthDateScore('1980-03-04', undefined)).toBe(0.3);
  });
});

describe('identifiers', () => {
  it('counts a shared value, a partial MRN, and flags a conflicting one', () => {
    expect(identifierScore([{ value: '47000123' }], john.identifier ?? [])).toEqual({
      score: 1,
      conflict: false,
    });
    expect(identifierScore([{ value: '4700' }], john.identifier ?? []).score).toBe(0.7);
    expect(identifierScore([{ value: '470' }], john.identifier ?? []).score).toBe(0);
    expect(
      identifierScore(
        [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-00-0000' }],
        john.identifier ?? [],
      ),
    ).toEqual({ score: 0, conflict: true });
  });
});

describe('scorePatient', () => {
  it('grades the same person with a typo in the name and the same birth date as certain', () => {
    const result = scorePatient(
      patient({ name: [{ family: 'Smtih', given: ['John'] }], birthDate: '1980-03-04', gender: 'male' }),
      john,
    );
    expect(result.grade).toBe('certain');
    expect(result.score).toBeGreaterThan(0.9);
  });

  it('never grades a name alone as certain', () => {
    const result = scorePatient(patient({ name: [{ family: 'Smith', given: ['John'] }] }), john);
    expect(result.score).toBe(1);
    expect(result.grade).toBe('probable');
  });

  it('grades a different person with the same name but another birth date and sex low', () => {
    const result = scorePatient(
      patient({ name: [{ family: 'Smith', given: ['John'] }], birthDate: '1955-12-30', gender: 'female' }),
      john,
    );
    expect(result.grade).toBe('certainly-not');
  });

  it('lowers the score when the same kind of identifier has another value', () => {
    const base = { name: [{ family: 'Smith', given: ['John'] }], birthDate: '1980-03-04' };
    const same = scorePatient(patient(base), john);
    const other = scorePatient(
      patient({ ...base, identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-00-0000' }] }),
      john,
    );
    expect(other.score).toBeLessThan(same.score * 0.7);
  });

  it('uses address and phone, whatever their formatting', () => {
    const result = scorePatient(
      patient({
        name: [{ family: 'Smith', given: ['Jon'] }],
        address: [{ line: ['12 oak street'], postalCode: '62701' }],
        telecom: [{ system: 'phone', value: '555.123.4567' }],
      }),
      john,
    );
    expect(result.fields.address).toBe(1);
    expect(result.fields.telecom).toBe(1);
    expect(result.grade).not.toBe('certainly-not');
  });

  it('scores 0 when the input gives nothing comparable', () => {
    expect(scorePatient(patient({ name: [{ given: [' '] }] }), john)).toEqual({
      score: 0,
      grade: 'certainly-not',
      fields: {},
    });
  });
});
