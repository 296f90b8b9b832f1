import {
  AGE_BANDS,
  HISPANIC,
  HISPANIC_SHARE,
  LANGUAGES,
  MARITAL_BY_AGE,
  NOT_HISPANIC,
  RACES,
} from '../codes/demographics.js';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from '../codes/names.js';
import { MEDICAID_SHARE, UNINSURED_SHARE } from '../codes/organizations.js';
import { BIRTH_COUNTRIES, CITIES, type City, STREET_NAMES, STREET_SUFFIXES } from '../codes/places.js';
import type { Code } from '../codes/systems.js';
import { type Random, WeightedTable } from '../random/random.js';
import {
  type Directory,
  type Facility,
  nearestClinic,
  type Payer,
  type StaffMember,
} from '../shared/directory.js';
import { DAY, YEAR } from './time.js';

export type Sex = 'female' | 'male';
export type SmokingHistory =
  | { readonly status: 'never' }
  | { readonly status: 'current' | 'former'; readonly startAge: number; readonly quitAge?: number };

/** Traits that stay with a patient for life and steer every measurement. */
export interface Physiology {
  /** Height z-score against the age/sex median. */
  readonly heightZ: number;
  /** BMI offset from the age median (kg/m²), and yearly adult weight gain. */
  readonly bmiOffset: number;
  readonly bmiDrift: number;
  /** Standard-normal baselines for blood pressure, cholesterol, and the other labs. */
  readonly bpZ: number;
  readonly lipidZ: number;
  readonly labZ: readonly number[];
}

/** Who the patient is: demographics, where they live, who cares for them, who pays. */
export interface Person {
  readonly index: number;
  readonly mrn: string;
  readonly sex: Sex;
  readonly birth: number;
  readonly death?: number;
  readonly given: readonly string[];
  readonly family: string;
  readonly maidenName?: string;
  readonly mothersMaidenName: string;
  readonly race: Code;
  readonly hispanic: boolean;
  readonly language: Code;
  readonly marital: Code;
  readonly city: City;
  readonly line: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly phone: string;
  readonly ssn: string;
  readonly driversLicense?: string;
  readonly birthPlace: { city: string; state?: string; country: string };
  readonly smoking: SmokingHistory;
  readonly physiology: Physiology;
  readonly clinic: Facility;
  readonly pcp: StaffMember;
  readonly pediatrician: StaffMember;
  readonly payer?: Payer;
}

const family = new WeightedTable(FAMILY_NAMES);
const maleGiven = new WeightedTable(MALE_GIVEN_NAMES);
const femaleGiven = new WeightedTable(FEMALE_GIVEN_NAMES);
const cities = new WeightedTable(CITIES);

function givenName(random: Random, sex: Sex): string {
  return (sex === 'female' ? femaleGiven : maleGiven).draw(random);
}

function drawSmoking(random: Random, ageYears: number): SmokingHistory {
  if (ageYears < 16) return { status: 'never' };
  const r = random.next();
  const startAge = random.int(14, 22);
  if (r < 0.12 && ageYears >= startAge) return { status: 'current', startAge };
  if (r < 0.32 && ageYears >= startAge + 3) {
    return {
      status: 'former',
      startAge,
      quitAge: random.int(startAge + 2, Math.max(startAge + 2, Math.floor(ageYears) - 1)),
    };
  }
  return { status: 'never' };
}

function drawPayer(random: Random, directory: Directory, ageYears: number): Payer | undefined {
  const byKind = (kind: Payer['kind']) => directory.payers.filter((p) => p.kind === kind);
  if (ageYears >= 65) return byKind('elderly')[0];
  if (random.chance(UNINSURED_SHARE)) return undefined;
  if (random.chance(MEDICAID_SHARE)) return byKind('lowIncome')[0];
  return random.weighted(byKind('commercial').map((p) => [p, p.weight] as const));
}

/**
 * Draws a person alive (or recently deceased) on `asOf`. `mrnPrefix` keeps medical record
 * numbers of populations with different seeds apart.
 */
export function drawPerson(
  random: Random,
  directory: Directory,
  index: number,
  asOf: number,
  mrnPrefix: string,
): Person {
  const sex: Sex = random.chance(0.51) ? 'female' : 'male';
  const [minAge, maxAge] = random.weighted(AGE_BANDS);
  const ageYears = random.between(minAge, maxAge + 1);
  const birth = Math.floor(asOf - ageYears * YEAR - random.int(0, 86_399) * 1000);
  // Older patients may have died during the exported history (about 5% of the population).
  const deathChance = ageYears >= 60 ? Math.min(0.45, 0.006 * (ageYears - 58)) : ageYears >= 30 ? 0.004 : 0;
  const death = random.chance(deathChance) ? asOf - random.between(30, 9 * 365) * DAY : undefined;

  const hispanic = random.chance(HISPANIC_SHARE);
  const race = random.weighted(RACES);
  const language = random.weighted(hispanic ? LANGUAGES.hispanic : LANGUAGES.general);
  const city = cities.draw(random);
  const surname = family.draw(random);
  const given = random.chance(0.55)
    ? [givenName(random, sex), givenName(random, sex)]
    : [givenName(random, sex)];
  const marital = random.weighted(MARITAL_BY_AGE.find(([upTo]) => ageYears <= upTo)![1]);
  const married = marital.code !== 'S';
  const maidenName = sex === 'female' && married && random.chance(0.7) ? family.draw(random) : undefined;
  const abroad = BIRTH_COUNTRIES[language.code];
  const birthPlace =
    abroad && random.chance(0.75)
      ? random.pick(abroad)
      : random.chance(0.8)
        ? { city: cities.draw(random).name, state: 'Massachusetts', country: 'US' }
        : random.pick([
            { city: 'Providence', state: 'Rhode Island', country: 'US' },
            { city: 'Hartford', state: 'Connecticut', country: 'US' },
            { city: 'New York', state: 'New York', country: 'US' },
            { city: 'Manchester', state: 'New Hampshire', country: 'US' },
          ]);
  const clinic = nearestClinic(directory, city);
  const adultDoctors = clinic.staff.filter((s) => s.specialty !== 'pediatrics');
  const pediatricians = clinic.staff.filter((s) => s.specialty === 'pediatrics');
  const areaCode = city.postalCode.startsWith('02')
    ? '617'
    : city.postalCode.startsWith('016')
      ? '508'
      : '413';
  return {
    index,
    mrn: `${mrnPrefix}${String(index + 1).padStart(6, '0')}`,
    sex,
    birth,
    death,
    given,
    family: surname,
    maidenName,
    mothersMaidenName: `${givenName(random, 'female')} ${family.draw(random)}`,
    race,
    hispanic,
    language,
    marital,
    city,
    line: `${random.int(1, 999)} ${random.pick(STREET_NAMES)} ${random.weighted(STREET_SUFFIXES)}${random.chance(0.2) ? ` Unit ${random.int(1, 40)}` : ''}`,
    latitude: Math.round((city.latitude + random.normal(0, 0.02)) * 1e6) / 1e6,
    longitude: Math.round((city.longitude + random.normal(0, 0.02)) * 1e6) / 1e6,
    phone: `${areaCode}-555-${random.digits(4)}`,
    ssn: `999-${random.digits(2)}-${random.digits(4)}`,
    driversLicense: ageYears >= 17 && random.chance(0.85) ? `S99${random.digits(6)}` : undefined,
    birthPlace,
    smoking: drawSmoking(random, ageYears),
    physiology: {
      heightZ: random.normal(0, 1, -2.5, 2.5),
      bmiOffset: random.normal(0, 3.6, -6, 14),
      bmiDrift: random.normal(0.08, 0.08, -0.1, 0.35),
      bpZ: random.normal(0, 1, -2.5, 2.5),
      lipidZ: random.normal(0, 1, -2.5, 2.5),
      labZ: Array.from({ length: 24 }, () => random.normal(0, 0.8, -2.5, 2.5)),
    },
    clinic,
    pcp: random.pick(adultDoctors),
    pediatrician: random.pick(pediatricians.length > 0 ? pediatricians : adultDoctors),
    payer: drawPayer(random, directory, ageYears),
  };
}

export { HISPANIC, NOT_HISPANIC };
