import { describe, expect, it } from 'vitest';
import { hospitalConfig } from '../../app/config';
import {
  emptyRegistration,
  newMrn,
  patientFromRegistration,
  type RegistrationValues,
  validateRegistration,
} from './registration.schema';

const valid: RegistrationValues = {
  ...emptyRegistration,
  family: ' Okonkwo ',
  given: 'Zephyrine  Ada',
  birthDate: '05/17/1988',
  gender: 'female',
  phone: '508-555-0142',
  line: '4 Harbour Lane',
  city: 'Fall River',
  postalCode: '02720',
};
const today = new Date('2026-12-07T12:00:00Z');

describe('validateRegistration', () => {
  it('accepts a complete registration', () => {
    expect(validateRegistration(valid, today)).toEqual({});
  });

  it('names every missing required field', () => {
    expect(Object.keys(validateRegistration(emptyRegistration, today)).sort()).toEqual([
      'birthDate',
      'family',
      'gender',
      'given',
    ]);
  });

  it('refuses impossible birth dates, short phone numbers, odd postal codes and digit-only names', () => {
    expect(validateRegistration({ ...valid, birthDate: '02/30/1990' }, today).birthDate).toMatch(/real date/);
    expect(validateRegistration({ ...valid, birthDate: '2027-01-01' }, today).birthDate).toMatch(/future/);
    expect(validateRegistration({ ...valid, birthDate: '1850-01-01' }, today).birthDate).toMatch(/year/);
    expect(validateRegistration({ ...valid, phone: '555' }, today).phone).toBeDefined();
    expect(validateRegistration({ ...valid, postalCode: '02720!!' }, today).postalCode).toBeDefined();
    expect(validateRegistration({ ...valid, family: '1234' }, today).family).toBeDefined();
    expect(validateRegistration({ ...valid, gender: 'f' }, today).gender).toBeDefined();
  });
});

describe('patientFromRegistration', () => {
  it('builds the Patient with trimmed names, ISO birth date, phone and address, and the MRN when given', () => {
    const p = patientFromRegistration(valid, '01234567');
    expect(p).toMatchObject({
      resourceType: 'Patient',
      name: [{ use: 'official', family: 'Okonkwo', given: ['Zephyrine', 'Ada'] }],
      birthDate: '1988-05-17',
      gender: 'female',
      telecom: [{ system: 'phone', value: '508-555-0142' }],
      address: [{ line: ['4 Harbour Lane'], city: 'Fall River', postalCode: '02720' }],
    });
    expect(p.identifier).toEqual([
      expect.objectContaining({ system: hospitalConfig.mrnSystem, value: '01234567' }),
    ]);
  });

  it('leaves out what was not entered: no MRN for $match, no empty address', () => {
    const p = patientFromRegistration({ ...valid, line: '', city: '', postalCode: '', phone: '' });
    expect(p.identifier).toBeUndefined();
    expect(p.address).toBeUndefined();
    expect(p.telecom).toBeUndefined();
  });
});

describe('newMrn', () => {
  it('is eight digits starting with 0, apart from the generator MRNs', () => {
    expect(newMrn(() => 0)).toBe('00000000');
    expect(newMrn(() => 0.9999999)).toBe('09999999');
    expect(newMrn()).toMatch(/^0\d{7}$/);
  });
});
