import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from '../codes/names.js';
import {
  CLINIC_STAFF,
  CLINICS,
  HOSPITAL,
  type HospitalUnitKey,
  PAYERS,
  type PayerKey,
  SPECIALTIES,
  type SpecialtyKey,
} from '../codes/organizations.js';
import { CITIES, type City, STATE } from '../codes/places.js';
import { type Random, WeightedTable } from '../random/random.js';

/** A practitioner of the shared directory: NPI, name and where they work. */
export interface StaffMember {
  readonly npi: string;
  readonly family: string;
  readonly given: string;
  readonly gender: 'female' | 'male';
  readonly specialty: SpecialtyKey;
  readonly doctor: boolean;
  readonly display: string;
}

/** A place of care: its organization and the Location where visits happen. */
export interface Facility {
  readonly key: string;
  readonly name: string;
  readonly city: City;
  readonly line: string;
  readonly phone: string;
  readonly staff: readonly StaffMember[];
}

export interface Payer {
  readonly key: PayerKey;
  readonly name: string;
  readonly kind: (typeof PAYERS)[number]['kind'];
  readonly weight: number;
}

/** Everything patients refer to: clinics, the hospital and its units, payers. Pure data, no FHIR yet. */
export interface Directory {
  readonly hospital: Facility & { readonly units: readonly { key: HospitalUnitKey; name: string }[] };
  readonly clinics: readonly Facility[];
  readonly payers: readonly Payer[];
}

const cities = CITIES.map(([city]) => city);

function phone(random: Random, city: City): string {
  const area = city.postalCode.startsWith('02') ? '617' : city.postalCode.startsWith('016') ? '508' : '413';
  return `${area}-555-${random.digits(4)}`;
}

/** Draws the staff of one facility; NPIs are unique across the directory (`used`). */
function drawStaff(
  random: Random,
  counts: Partial<Record<SpecialtyKey, number>>,
  used: Set<string>,
): StaffMember[] {
  const family = new WeightedTable(FAMILY_NAMES);
  const male = new WeightedTable(MALE_GIVEN_NAMES);
  const female = new WeightedTable(FEMALE_GIVEN_NAMES);
  const staff: StaffMember[] = [];
  for (const [specialty, count] of Object.entries(counts) as [SpecialtyKey, number][]) {
    for (let i = 0; i < count; i++) {
      let npi: string;
      do npi = `999${random.digits(7)}`;
      while (used.has(npi));
      used.add(npi);
      const gender = random.chance(0.5) ? 'female' : 'male';
      const given = (gender === 'female' ? female : male).draw(random);
      const surname = family.draw(random);
      const doctor = specialty !== 'nursePractitioner';
      staff.push({
        npi,
        family: surname,
        given,
        gender,
        specialty,
        doctor,
        display: doctor ? `Dr. ${given} ${surname}` : `${given} ${surname}, NP`,
      });
    }
  }
  return staff;
}

/** Draws the shared directory of a population (same seed, same hospital). */
export function drawDirectory(random: Random): Directory {
  const used = new Set<string>();
  const hospitalCity = cities[HOSPITAL.cityIndex]!;
  const hospital = {
    key: 'hospital',
    name: HOSPITAL.name,
    city: hospitalCity,
    line: HOSPITAL.line,
    phone: phone(random, hospitalCity),
    staff: drawStaff(random, HOSPITAL.staff, used),
    units: HOSPITAL.units.map((u) => ({ key: u.key, name: u.name })),
  };
  const clinics = CLINICS.map((c, i): Facility => {
    const city = cities[c.cityIndex]!;
    return {
      key: `clinic-${i + 1}`,
      name: c.name,
      city,
      line: c.line,
      phone: phone(random, city),
      staff: drawStaff(random, CLINIC_STAFF, used),
    };
  });
  return { hospital, clinics, payers: PAYERS.map((p) => ({ ...p })) };
}

/** The clinic nearest a patient's city (by straight-line distance between city centres). */
export function nearestClinic(directory: Directory, city: City): Facility {
  let best = directory.clinics[0]!;
  let bestDistance = Infinity;
  for (const clinic of directory.clinics) {
    const d = (clinic.city.latitude - city.latitude) ** 2 + (clinic.city.longitude - city.longitude) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = clinic;
    }
  }
  return best;
}

/** The hospital's staff of one specialty. */
export function hospitalStaff(directory: Directory, specialty: SpecialtyKey): readonly StaffMember[] {
  return directory.hospital.staff.filter((s) => s.specialty === specialty);
}

export { SPECIALTIES, STATE };
