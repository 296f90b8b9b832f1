import { describe, expect, it } from 'vitest';
import { hospitalConfig } from '../../app/config';
import { formatAge, formatName, toPatientView } from './patient-view';

const now = new Date('2026-12-07T12:00:00Z');

describe('formatAge', () => {
  it('says years from two, months under two, days under a month', () => {
    expect(formatAge('1980-12-08', now)).toBe('45 y');
    expect(formatAge('1980-12-07', now)).toBe('46 y');
    expect(formatAge('2025-06-07', now)).toBe('18 mo');
    expect(formatAge('2026-11-30', now)).toBe('7 d');
  });
  it('is empty for a missing or future birth date', () => {
    expect(formatAge(undefined, now)).toBe('');
    expect(formatAge('2027-01-01', now)).toBe('');
  });
});

describe('toPatientView', () => {
  it('shows the official name family first in capitals, the MRN, sex and home address', () => {
    const v = toPatientView(
      {
        resourceType: 'Patient',
        id: 'p1',
        name: [
          { use: 'nickname', given: ['Jack'] },
          { use: 'official', family: 'Smith', given: ['John', 'Paul'] },
        ],
        identifier: [
          { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-11-2222' },
          { system: hospitalConfig.mrnSystem, value: '14000001' },
        ],
        gender: 'male',
        birthDate: '1980-03-04',
        address: [
          { use: 'home', line: ['12 Oak Street'], city: 'Springfield', state: 'MA', postalCode: '01101' },
        ],
      },
      now,
    );
    expect(v).toMatchObject({
      name: 'SMITH, John Paul',
      mrn: '14000001',
      sex: 'Male',
      age: '46 y',
      address: '12 Oak Street, Springfield, MA 01101',
      deceased: false,
    });
  });
  it('marks a deceased patient and gives no age', () => {
    const v = toPatientView(
      { resourceType: 'Patient', birthDate: '1930-01-01', deceasedDateTime: '2020-01-01' },
      now,
    );
    expect(v).toMatchObject({ deceased: true, age: '', name: 'Unnamed patient', sex: 'Not recorded' });
  });
  it('formats a name given only as text', () => {
    expect(formatName({ text: 'Madonna' })).toBe('Madonna');
  });
});
