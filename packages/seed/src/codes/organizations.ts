import { type Code, SYSTEMS } from './systems.js';

const nucc = (code: string, display: string): Code => ({ system: SYSTEMS.nucc, code, display });

/** Provider specialties (NUCC taxonomy), keyed by what the generator asks for. */
export const SPECIALTIES = {
  familyMedicine: nucc('207Q00000X', 'Family Medicine'),
  internalMedicine: nucc('207R00000X', 'Internal Medicine'),
  pediatrics: nucc('208000000X', 'Pediatrics'),
  nursePractitioner: nucc('363LF0000X', 'Nurse Practitioner, Family'),
  emergencyMedicine: nucc('207P00000X', 'Emergency Medicine'),
  hospitalist: nucc('208M00000X', 'Hospitalist'),
  cardiology: nucc('207RC0000X', 'Cardiovascular Disease'),
  endocrinology: nucc('207RE0101X', 'Endocrinology, Diabetes & Metabolism'),
  pulmonology: nucc('207RP1001X', 'Pulmonary Disease'),
  orthopedics: nucc('207X00000X', 'Orthopaedic Surgery'),
  obstetrics: nucc('207V00000X', 'Obstetrics & Gynecology'),
  generalSurgery: nucc('208600000X', 'Surgery'),
} as const;

export type SpecialtyKey = keyof typeof SPECIALTIES;

/** The hospital every patient's emergency visits and admissions go to. */
export const HOSPITAL = {
  name: 'Hospitium Community Hospital',
  alias: 'HCH',
  line: '1 Hospital Drive',
  cityIndex: 0,
  /** Staff by specialty: how many of each work at the hospital. */
  staff: {
    emergencyMedicine: 6,
    hospitalist: 4,
    cardiology: 2,
    endocrinology: 1,
    pulmonology: 2,
    orthopedics: 2,
    obstetrics: 2,
    generalSurgery: 2,
  },
  /** Hospital units as Locations (ward-level; rooms and beds are added by the demo hospital). */
  units: [
    { key: 'emergency', name: 'Emergency Department', type: 'ER', typeDisplay: 'Emergency room' },
    { key: 'medSurg', name: 'Medical-Surgical Unit', type: 'HU', typeDisplay: 'Hospital unit' },
    { key: 'icu', name: 'Intensive Care Unit', type: 'ICU', typeDisplay: 'Intensive care unit' },
    { key: 'pediatrics', name: 'Pediatric Unit', type: 'PEDU', typeDisplay: 'Pediatric unit' },
    { key: 'surgery', name: 'Operating Suite', type: 'OR', typeDisplay: 'Operating room' },
  ],
} as const;

export type HospitalUnitKey = (typeof HOSPITAL.units)[number]['key'];

/** Primary-care clinics patients are registered with (the nearest by city). */
export const CLINICS = [
  { name: 'Hospitium Primary Care Boston', cityIndex: 0, line: '250 Tremont Street' },
  { name: 'Hospitium Primary Care Worcester', cityIndex: 1, line: '40 Main Street' },
  { name: 'Hospitium Primary Care Springfield', cityIndex: 2, line: '1414 State Street' },
  { name: 'Hospitium Primary Care North Shore', cityIndex: 7, line: '12 Union Street' },
] as const;

/** Staff of each clinic by specialty. */
export const CLINIC_STAFF: Partial<Record<SpecialtyKey, number>> = {
  familyMedicine: 3,
  internalMedicine: 1,
  pediatrics: 2,
  nursePractitioner: 1,
};

/** Insurers (Organization type `pay`), weighted by share of patients; `kind` picks who qualifies. */
export const PAYERS = [
  { key: 'medicare', name: 'Medicare', kind: 'elderly', weight: 1 },
  { key: 'medicaid', name: 'MassHealth (Medicaid)', kind: 'lowIncome', weight: 1 },
  { key: 'bayState', name: 'Bay State Health Plan', kind: 'commercial', weight: 4 },
  { key: 'pioneer', name: 'Pioneer Valley Health Insurance', kind: 'commercial', weight: 2 },
  { key: 'northShore', name: 'North Shore Mutual Health', kind: 'commercial', weight: 2 },
] as const;

export type PayerKey = (typeof PAYERS)[number]['key'];

/** Share of under-65s on Medicaid, and share with no insurance (self-pay). */
export const MEDICAID_SHARE = 0.2;
export const UNINSURED_SHARE = 0.04;
