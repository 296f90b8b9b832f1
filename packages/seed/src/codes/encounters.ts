import { type Code, SYSTEMS, snomed } from './systems.js';

/** A kind of encounter: class, type, how long it lasts and its facility charge. */
export interface EncounterType {
  readonly class: Code;
  readonly type: Code;
  /** Duration in minutes: `[min, max]` (inpatient stays use days, see INPATIENT_DAYS). */
  readonly minutes: readonly [number, number];
  readonly cost: number;
}

const ambulatory: Code = { system: SYSTEMS.actCode, code: 'AMB', display: 'ambulatory' };
const emergency: Code = { system: SYSTEMS.actCode, code: 'EMER', display: 'emergency' };
const inpatient: Code = { system: SYSTEMS.actCode, code: 'IMP', display: 'inpatient encounter' };

export const ENCOUNTER_TYPES = {
  wellChild: {
    class: ambulatory,
    type: snomed('410620009', 'Well child visit (procedure)'),
    minutes: [20, 40],
    cost: 136,
  },
  checkUp: {
    class: ambulatory,
    type: snomed('162673000', 'General examination of patient (procedure)'),
    minutes: [20, 45],
    cost: 136,
  },
  symptom: {
    class: ambulatory,
    type: snomed('185345009', 'Encounter for symptom (procedure)'),
    minutes: [15, 30],
    cost: 98,
  },
  followUp: {
    class: ambulatory,
    type: snomed('390906007', 'Follow-up encounter (procedure)'),
    minutes: [15, 30],
    cost: 88,
  },
  emergency: {
    class: emergency,
    type: snomed('50849002', 'Emergency room admission (procedure)'),
    minutes: [90, 360],
    cost: 1450,
  },
  immunization: {
    class: ambulatory,
    type: snomed('33879002', 'Administration of vaccine to produce active immunity (procedure)'),
    minutes: [10, 20],
    cost: 24,
  },
  inpatient: {
    class: inpatient,
    type: snomed('32485007', 'Hospital admission (procedure)'),
    minutes: [0, 0],
    cost: 11800,
  },
} as const satisfies Record<string, EncounterType>;

export type EncounterKind = keyof typeof ENCOUNTER_TYPES;

/** Length of an inpatient stay in days: `[min, max]`. */
export const INPATIENT_DAYS: readonly [number, number] = [2, 7];

/** How an admitted patient arrived and left (Encounter.hospitalization). */
export const HOSPITALIZATION = {
  admitSourceEmergency: {
    system: SYSTEMS.admitSource,
    code: 'emd',
    display: 'From accident/emergency department',
  },
  dischargeHome: { system: SYSTEMS.dischargeDisposition, code: 'home', display: 'Home' },
} as const;

/** Years of detailed history exported per patient (Synthea's default), ending at the as-of date. */
export const YEARS_OF_HISTORY = 10;

/** Ages (months) of well-child visits; yearly from 3 to 20, then see ADULT_CHECKUP_YEARS. */
export const WELL_CHILD_MONTHS = [0, 1, 2, 4, 6, 9, 12, 15, 18, 24, 30] as const;

/** Years between adult check-ups: `[up to age, every n years]`. */
export const ADULT_CHECKUP_YEARS: readonly (readonly [number, number])[] = [
  [20, 1],
  [49, 2],
  [200, 1],
];
