import { type Code, rxnorm } from './systems.js';

/** A drug the generator prescribes: RxNorm code, the sig, and what a fill costs. */
export interface Medication {
  readonly code: Code;
  /** Patient instructions (Dosage.text). */
  readonly sig: string;
  /** Times per day; 0 with `asNeeded` for as-needed use. */
  readonly perDay: number;
  readonly asNeeded?: boolean;
  /** Days of treatment for a short course (antibiotics); long-term drugs leave it out. */
  readonly courseDays?: number;
  /** Cost of one fill in USD (pharmacy claim). */
  readonly cost: number;
  /** Children under 12 get this instead (key into MEDICATIONS). */
  readonly pediatric?: string;
}

const med = (code: string, display: string, rest: Omit<Medication, 'code'>): Medication => ({
  code: rxnorm(code, display),
  ...rest,
});

/** The formulary of the generated population, keyed by the names the condition tables use. */
const medications = {
  hydrochlorothiazide: med('310798', 'Hydrochlorothiazide 25 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily',
    perDay: 1,
    cost: 9,
  }),
  lisinopril: med('314076', 'lisinopril 10 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily',
    perDay: 1,
    cost: 11,
  }),
  amlodipine: med('197361', 'amLODIPine 5 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily',
    perDay: 1,
    cost: 12,
  }),
  simvastatin: med('312961', 'Simvastatin 20 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth at bedtime',
    perDay: 1,
    cost: 14,
  }),
  metformin: med('860975', '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', {
    sig: 'Take 1 tablet by mouth twice daily with meals',
    perDay: 2,
    cost: 16,
  }),
  insulin: med(
    '106892',
    'insulin isophane, human 70 UNT/ML / insulin, regular, human 30 UNT/ML Injectable Suspension [Humulin]',
    { sig: 'Inject 20 units under the skin twice daily before meals', perDay: 2, cost: 148 },
  ),
  albuterol: med('745679', '200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', {
    sig: 'Inhale 2 puffs every 4 to 6 hours as needed for wheezing',
    perDay: 0,
    asNeeded: true,
    cost: 58,
  }),
  fluticasone: med('895994', '120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler', {
    sig: 'Inhale 2 puffs twice daily',
    perDay: 2,
    cost: 96,
  }),
  fluticasoneSalmeterol: med(
    '896209',
    '60 ACTUAT Fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler',
    { sig: 'Inhale 1 puff twice daily', perDay: 2, cost: 310 },
  ),
  aspirin: med('243670', 'Aspirin 81 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily',
    perDay: 1,
    cost: 4,
  }),
  metoprolol: med('866414', '24 HR metoprolol succinate 100 MG Extended Release Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily',
    perDay: 1,
    cost: 18,
  }),
  clopidogrel: med('309362', 'Clopidogrel 75 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily',
    perDay: 1,
    cost: 21,
  }),
  warfarin: med('855332', 'Warfarin Sodium 5 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily in the evening',
    perDay: 1,
    cost: 10,
  }),
  digoxin: med('197604', 'Digoxin 0.125 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily',
    perDay: 1,
    cost: 13,
  }),
  naproxen: med('849574', 'Naproxen sodium 220 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth every 12 hours as needed for pain',
    perDay: 0,
    asNeeded: true,
    cost: 7,
  }),
  alendronate: med('904419', 'Alendronic acid 10 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily before breakfast',
    perDay: 1,
    cost: 15,
  }),
  ferrousSulfate: med('310325', 'ferrous sulfate 325 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth once daily',
    perDay: 1,
    courseDays: 90,
    cost: 6,
  }),
  acetaminophen: med('313782', 'Acetaminophen 325 MG Oral Tablet', {
    sig: 'Take 2 tablets by mouth every 6 hours as needed for pain or fever',
    perDay: 0,
    asNeeded: true,
    courseDays: 10,
    cost: 5,
    pediatric: 'acetaminophenPediatric',
  }),
  acetaminophenPediatric: med('282464', 'Acetaminophen 160 MG Oral Tablet', {
    sig: 'Chew 1 tablet every 6 hours as needed for pain or fever',
    perDay: 0,
    asNeeded: true,
    courseDays: 10,
    cost: 5,
  }),
  ibuprofen: med('310965', 'Ibuprofen 200 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth every 6 hours as needed for pain',
    perDay: 0,
    asNeeded: true,
    courseDays: 14,
    cost: 5,
    pediatric: 'ibuprofenPediatric',
  }),
  ibuprofenPediatric: med('198405', 'Ibuprofen 100 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth every 6 hours as needed for pain',
    perDay: 0,
    asNeeded: true,
    courseDays: 10,
    cost: 5,
  }),
  amoxicillin: med('308182', 'Amoxicillin 250 MG Oral Capsule', {
    sig: 'Take 1 capsule by mouth three times daily for 10 days',
    perDay: 3,
    courseDays: 10,
    cost: 9,
  }),
  amoxicillinClavulanate: med('562251', 'Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth twice daily for 7 days',
    perDay: 2,
    courseDays: 7,
    cost: 24,
  }),
  penicillinV: med('834061', 'Penicillin V Potassium 250 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth four times daily for 10 days',
    perDay: 4,
    courseDays: 10,
    cost: 8,
  }),
  ciprofloxacin: med('309309', 'Ciprofloxacin 500 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth twice daily for 3 days',
    perDay: 2,
    courseDays: 3,
    cost: 10,
  }),
  oxycodoneAcetaminophen: med('1049221', 'Acetaminophen 325 MG / oxyCODONE Hydrochloride 5 MG Oral Tablet', {
    sig: 'Take 1 tablet by mouth every 6 hours as needed for severe pain',
    perDay: 0,
    asNeeded: true,
    courseDays: 5,
    cost: 22,
  }),
} as const satisfies Record<string, Medication>;

export type MedicationKey = keyof typeof medications;

export const MEDICATIONS: Record<MedicationKey, Medication> = medications;
