import type { Patient } from '../../api/fhir-types';
import { hospitalConfig } from '../../app/config';
import { parseDate } from './search-query';

/** What the registration form holds: strings as typed. */
export interface RegistrationValues {
  family: string;
  given: string;
  birthDate: string;
  gender: string;
  line: string;
  city: string;
  state: string;
  postalCode: string;
  phone: string;
  identifierSystem: string;
  identifierValue: string;
}

export const emptyRegistration: RegistrationValues = {
  family: '',
  given: '',
  birthDate: '',
  gender: '',
  line: '',
  city: '',
  state: '',
  postalCode: '',
  phone: '',
  identifierSystem: hospitalConfig.identifierTypes[0].system,
  identifierValue: '',
};

export type RegistrationErrors = Partial<Record<keyof RegistrationValues, string>>;

const genders = ['female', 'male', 'other', 'unknown'];

/**
 * The registration rules, in one place: what a person must give and what each value must look
 * like. Returns a message per field in the words shown under it; empty when all is well.
 */
export function validateRegistration(v: RegistrationValues, today: Date = new Date()): RegistrationErrors {
  const errors: RegistrationErrors = {};
  if (v.family.trim() === '') errors.family = 'Enter the family name';
  else if (!/\p{L}/u.test(v.family)) errors.family = 'A family name has letters';
  if (v.given.trim() === '') errors.given = 'Enter the given name';
  else if (!/\p{L}/u.test(v.given)) errors.given = 'A given name has letters';
  const birth = parseDate(v.birthDate.trim());
  if (v.birthDate.trim() === '') errors.birthDate = 'Enter the birth date';
  else if (!birth) errors.birthDate = 'Enter a real date, as YYYY-MM-DD or MM/DD/YYYY';
  else if (birth > today.toISOString().slice(0, 10))
    errors.birthDate = 'The birth date cannot be in the future';
  else if (birth < '1880-01-01') errors.birthDate = 'Check the year of birth';
  if (!genders.includes(v.gender)) errors.gender = 'Choose the administrative sex';
  if (v.phone.trim() !== '' && v.phone.replace(/\D/g, '').length < 7)
    errors.phone = 'A phone number has at least 7 digits';
  if (v.postalCode.trim() !== '' && !/^[A-Za-z0-9 -]{3,10}$/.test(v.postalCode.trim()))
    errors.postalCode = 'Check the postal code';
  if (
    v.identifierValue.trim() !== '' &&
    !hospitalConfig.identifierTypes.some((t) => t.system === v.identifierSystem)
  )
    errors.identifierSystem = 'Choose the kind of identifier';
  return errors;
}

const trimmed = (s: string) => s.trim().replace(/\s+/g, ' ');

/**
 * The Patient the form describes (for `$match`, and with `mrn` for creation). Only what was
 * entered is included; names are kept as typed (capitalisation is the patient's own).
 */
export function patientFromRegistration(v: RegistrationValues, mrn?: string): Patient {
  const identifiers = [];
  if (mrn) {
    identifiers.push({
      use: 'usual',
      type: {
        coding: [
          { system: hospitalConfig.identifierTypeSystem, code: 'MR', display: 'Medical Record Number' },
        ],
      },
      system: hospitalConfig.mrnSystem,
      value: mrn,
    });
  }
  const idType = hospitalConfig.identifierTypes.find((t) => t.system === v.identifierSystem);
  if (idType && v.identifierValue.trim() !== '') {
    identifiers.push({
      type: {
        coding: [{ system: hospitalConfig.identifierTypeSystem, code: idType.code, display: idType.label }],
      },
      system: idType.system,
      value: v.identifierValue.trim(),
    });
  }
  const hasAddress = [v.line, v.city, v.state, v.postalCode].some((s) => s.trim() !== '');
  return {
    resourceType: 'Patient',
    active: true,
    ...(identifiers.length > 0 ? { identifier: identifiers } : {}),
    name: [{ use: 'official', family: trimmed(v.family), given: trimmed(v.given).split(' ') }],
    ...(v.phone.trim() !== '' ? { telecom: [{ system: 'phone', value: v.phone.trim(), use: 'home' }] } : {}),
    gender: v.gender,
    birthDate: parseDate(v.birthDate.trim()) ?? v.birthDate.trim(),
    ...(hasAddress
      ? {
          address: [
            {
              use: 'home',
              ...(v.line.trim() !== '' ? { line: [trimmed(v.line)] } : {}),
              ...(v.city.trim() !== '' ? { city: trimmed(v.city) } : {}),
              ...(v.state.trim() !== '' ? { state: trimmed(v.state) } : {}),
              ...(v.postalCode.trim() !== '' ? { postalCode: v.postalCode.trim() } : {}),
            },
          ],
        }
      : {}),
  };
}

/**
 * A new medical record number: eight digits starting with 0 (the demo generator's MRNs start
 * with 10–99, so the two never collide), random so that two desks never pick the same one in
 * step. The create is conditional on the MRN being unused (`If-None-Exist`), and retried with
 * another number in the rare case it is taken.
 */
export function newMrn(random: () => number = secureRandom): string {
  return `0${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`;
}

function secureRandom(): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return buf[0]! / 2 ** 32;
}
