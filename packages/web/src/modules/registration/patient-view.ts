import type { Address, HumanName, Patient } from '../../api/fhir-types';
import { hospitalConfig } from '../../app/config';

/** A patient as a list row or banner shows them: plain strings, computed once. */
export interface PatientView {
  id: string;
  /** "SMITH, John Paul": family name first and in capitals, as wristbands and lists print it. */
  name: string;
  mrn: string;
  birthDate: string;
  /** "44 y", "7 mo", "12 d"; empty without a birth date. */
  age: string;
  sex: string;
  address: string;
  phone: string;
  deceased: boolean;
}

const sexLabels: Record<string, string> = {
  female: 'Female',
  male: 'Male',
  other: 'Other',
  unknown: 'Unknown',
};

/** The name to show: the official one, else the usual one, else the first. */
export function preferredName(names: readonly HumanName[] | undefined): HumanName | undefined {
  return names?.find((n) => n.use === 'official') ?? names?.find((n) => n.use === 'usual') ?? names?.[0];
}

/** "SMITH, John Paul" (or the name's text when it has no parts); "Unnamed patient" without a name. */
export function formatName(name: HumanName | undefined): string {
  if (!name) return 'Unnamed patient';
  const given = (name.given ?? []).join(' ');
  if (name.family) return given ? `${name.family.toUpperCase()}, ${given}` : name.family.toUpperCase();
  return name.text ?? (given || 'Unnamed patient');
}

/** Age at `now` in the unit a clinician uses: years from 2, months under 2, days under a month. */
export function formatAge(birthDate: string | undefined, now: Date = new Date()): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate ?? '');
  if (!m) return '';
  const born = new Date(Date.UTC(Number(m[1]), Number(m[2] ?? '1') - 1, Number(m[3] ?? '1')));
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (born > today) return '';
  let months =
    (today.getUTCFullYear() - born.getUTCFullYear()) * 12 + today.getUTCMonth() - born.getUTCMonth();
  if (today.getUTCDate() < born.getUTCDate()) months--;
  if (months >= 24) return `${Math.floor(months / 12)} y`;
  if (months >= 1) return `${months} mo`;
  return `${Math.round((today.getTime() - born.getTime()) / 86_400_000)} d`;
}

export function formatAddress(address: Address | undefined): string {
  if (!address) return '';
  const place = [address.city, [address.state, address.postalCode].filter(Boolean).join(' ')]
    .filter((p) => p && p.trim() !== '')
    .join(', ');
  return [...(address.line ?? []), place].filter((p) => p && p.trim() !== '').join(', ');
}

/** The hospital MRN of a patient ('' when it has none). */
export function mrnOf(patient: Patient): string {
  return patient.identifier?.find((i) => i.system === hospitalConfig.mrnSystem)?.value ?? '';
}

export function toPatientView(patient: Patient, now: Date = new Date()): PatientView {
  const address = patient.address?.find((a) => a.use === 'home') ?? patient.address?.[0];
  return {
    id: patient.id ?? '',
    name: formatName(preferredName(patient.name)),
    mrn: mrnOf(patient),
    birthDate: patient.birthDate ?? '',
    age: patient.deceasedBoolean || patient.deceasedDateTime ? '' : formatAge(patient.birthDate, now),
    sex: sexLabels[patient.gender ?? ''] ?? 'Not recorded',
    address: formatAddress(address),
    phone: patient.telecom?.find((t) => t.system === 'phone')?.value ?? '',
    deceased: Boolean(patient.deceasedBoolean || patient.deceasedDateTime),
  };
}
