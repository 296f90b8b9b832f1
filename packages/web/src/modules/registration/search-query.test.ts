import { describe, expect, it } from 'vitest';
import { parseDate, patientFromSearchText } from './search-query';

describe('patientFromSearchText', () => {
  it('reads two words as given then family, the scorer forgiving the other order', () => {
    expect(patientFromSearchText('Smtih John')).toEqual({
      resourceType: 'Patient',
      name: [{ given: ['Smtih'], family: 'John' }],
    });
  });

  it('takes the word before a comma as the family name', () => {
    expect(patientFromSearchText('Smith, John Paul')?.name).toEqual([
      { family: 'Smith', given: ['John', 'Paul'] },
    ]);
  });

  it('reads one word as a name of either kind, digits as an MRN or part of one, a date as the birth date', () => {
    expect(patientFromSearchText('garcia')?.name).toEqual([{ given: ['garcia'] }]);
    expect(patientFromSearchText('140000')).toEqual({
      resourceType: 'Patient',
      identifier: [{ value: '140000' }],
    });
    expect(patientFromSearchText('Wells 02/06/1993')).toEqual({
      resourceType: 'Patient',
      birthDate: '1993-02-06',
      name: [{ given: ['Wells'] }],
    });
  });

  it('answers undefined for blank, punctuation-only or single-letter text', () => {
    expect(patientFromSearchText('   ')).toBeUndefined();
    expect(patientFromSearchText('..., ;')).toBeUndefined();
    expect(patientFromSearchText('j')).toBeUndefined();
    expect(patientFromSearchText('J Smith')?.name).toEqual([{ given: ['J'], family: 'Smith' }]);
  });
});

describe('parseDate', () => {
  it('reads ISO, US and European forms', () => {
    expect(parseDate('1980-3-4')).toBe('1980-03-04');
    expect(parseDate('03/04/1980')).toBe('1980-03-04');
    expect(parseDate('04.03.1980')).toBe('1980-03-04');
  });

  it('refuses dates that do not exist and other shapes', () => {
    expect(parseDate('02/30/2001')).toBeUndefined();
    expect(parseDate('2001-13-01')).toBeUndefined();
    expect(parseDate('1980')).toBeUndefined();
    expect(parseDate('yesterday')).toBeUndefined();
  });
});
