import type { Weighted } from '../random/random.js';
import { type Code, SYSTEMS, snomed } from './systems.js';

/** A procedure with what it costs (claim line). */
export interface ProcedureType {
  readonly code: Code;
  readonly cost: number;
  /** Minutes it takes. */
  readonly minutes: number;
}

const p = (code: string, display: string, cost: number, minutes: number): ProcedureType => ({
  code: snomed(code, display),
  cost,
  minutes,
});

export const PROCEDURES = {
  medicationReconciliation: p('430193006', 'Medication reconciliation (procedure)', 45, 10),
  depressionScreening: p('171207006', 'Depression screening (procedure)', 35, 10),
  colonoscopy: p('73761001', 'Colonoscopy (procedure)', 1180, 40),
  mammography: p('71651007', 'Mammography (procedure)', 240, 20),
  boneDensityScan: p('312681000', 'Bone density scan (procedure)', 160, 20),
  spirometry: p('23426006', 'Measurement of respiratory function (procedure)', 120, 20),
  electrocardiogram: p('268400002', '12 lead electrocardiogram (procedure)', 95, 10),
  echocardiography: p('433236007', 'Transthoracic echocardiography (procedure)', 620, 45),
  throatCulture: p('117015009', 'Throat culture (procedure)', 38, 5),
  sputumExam: p('269911007', 'Sputum examination (procedure)', 42, 5),
  urinalysis: p('27171005', 'Urinalysis (procedure)', 18, 5),
  ankleXray: p('168537006', 'Plain radiography (procedure)', 180, 15),
  boneImmobilization: p('274474001', 'Bone immobilization (procedure)', 210, 20),
  sutureWound: p('288086009', 'Suture open wound (procedure)', 320, 25),
  chestXray: p('399208008', 'Plain chest X-ray (procedure)', 150, 15),
  appendectomy: p('80146002', 'Appendectomy (procedure)', 9800, 75),
} as const satisfies Record<string, ProcedureType>;

export type ProcedureKey = keyof typeof PROCEDURES;

/** Screening procedures by age and sex, with the interval between them. */
export const SCREENINGS: readonly {
  readonly procedure: ProcedureKey;
  readonly fromAge: number;
  readonly everyYears: number;
  readonly sex?: 'female' | 'male';
}[] = [
  { procedure: 'depressionScreening', fromAge: 12, everyYears: 3 },
  { procedure: 'colonoscopy', fromAge: 45, everyYears: 10 },
  { procedure: 'mammography', fromAge: 50, everyYears: 2, sex: 'female' },
  { procedure: 'boneDensityScan', fromAge: 65, everyYears: 5, sex: 'female' },
];

/** Allergy categories (AllergyIntolerance.category codes). */
export type AllergyCategory = 'food' | 'medication' | 'environment';

export interface AllergyType {
  readonly code: Code;
  readonly category: AllergyCategory;
  /** Reaction manifestation (SNOMED). */
  readonly reaction: Code;
}

const rash = snomed('271807003', 'Eruption of skin (disorder)');
const hives = snomed('247472004', 'Wheal (finding)');
const rhinitis = snomed('267101005', 'Allergic rhinitis (disorder)');
const anaphylaxis = snomed('39579001', 'Anaphylaxis (disorder)');

/** Allergies weighted by how often they are recorded. */
export const ALLERGIES: Weighted<AllergyType> = [
  [
    { code: snomed('91936005', 'Allergy to penicillin (finding)'), category: 'medication', reaction: hives },
    10,
  ],
  [
    {
      code: snomed('419263009', 'Allergy to tree pollen (finding)'),
      category: 'environment',
      reaction: rhinitis,
    },
    9,
  ],
  [
    {
      code: snomed('418689008', 'Allergy to grass pollen (finding)'),
      category: 'environment',
      reaction: rhinitis,
    },
    8,
  ],
  [
    {
      code: snomed('232350006', 'House dust mite allergy (finding)'),
      category: 'environment',
      reaction: rhinitis,
    },
    7,
  ],
  [
    {
      code: snomed('232347008', 'Dander (animal) allergy (finding)'),
      category: 'environment',
      reaction: rhinitis,
    },
    6,
  ],
  [
    { code: snomed('419474003', 'Allergy to mold (finding)'), category: 'environment', reaction: rhinitis },
    4,
  ],
  [{ code: snomed('300913006', 'Shellfish allergy (finding)'), category: 'food', reaction: hives }, 5],
  [{ code: snomed('91935009', 'Allergy to peanuts (finding)'), category: 'food', reaction: anaphylaxis }, 4],
  [{ code: snomed('91934008', 'Allergy to nut (finding)'), category: 'food', reaction: hives }, 3],
  [{ code: snomed('91930004', 'Allergy to eggs (finding)'), category: 'food', reaction: rash }, 2],
  [{ code: snomed('425525006', 'Allergy to dairy product (finding)'), category: 'food', reaction: rash }, 2],
  [{ code: snomed('417532002', 'Allergy to fish (finding)'), category: 'food', reaction: hives }, 2],
  [
    {
      code: snomed('424213003', 'Allergy to bee venom (finding)'),
      category: 'environment',
      reaction: anaphylaxis,
    },
    2,
  ],
  [{ code: snomed('300916003', 'Latex allergy (finding)'), category: 'environment', reaction: rash }, 1.5],
];

/** Share of patients with at least one recorded allergy. */
export const ALLERGY_PREVALENCE = 0.3;

/** The ExplanationOfBenefit place-of-service code for where an encounter happened. */
export const PLACE_OF_SERVICE = {
  ambulatory: { system: SYSTEMS.serviceplace, code: '11', display: 'Office' },
  emergency: { system: SYSTEMS.serviceplace, code: '23', display: 'Emergency Room - Hospital' },
  inpatient: { system: SYSTEMS.serviceplace, code: '21', display: 'Inpatient Hospital' },
} as const;
