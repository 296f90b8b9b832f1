import type { MedicationKey } from './medications.js';
import type { ProcedureKey } from './procedures.js';
import { type Code, snomed } from './systems.js';

/** What raises the yearly onset chance of a chronic condition. */
export type RiskFactor = 'obese' | 'smoker' | 'hypertension' | 'diabetes' | 'female' | 'male';

/** Age bands with the yearly chance of onset: `[from age, to age, chance per year]`. */
export type Incidence = readonly (readonly [number, number, number])[];

/** A long-term condition: when it starts, what raises the risk, what treats it, how often it is seen. */
export interface ChronicCondition {
  readonly code: Code;
  readonly incidence: Incidence;
  /** Multipliers on the yearly chance when the patient has the factor. */
  readonly risk?: Partial<Record<RiskFactor, number>>;
  /** Medications started at diagnosis, in order of escalation. */
  readonly medications: readonly MedicationKey[];
  /** Months between follow-up visits while active (0: seen only at check-ups). */
  readonly followUpMonths: number;
  /** Chance per year that the condition resolves (childhood asthma, anaemia). */
  readonly remission?: number;
  /** Condition that must already be present (diabetes follows prediabetes). */
  readonly requires?: string;
  /** Condition this one replaces when it starts (prediabetes → diabetes). */
  readonly supersedes?: string;
}

/**
 * Chronic conditions with yearly incidence by age, tuned so prevalence by age is close to US
 * figures (hypertension ≈ 30% of adults, 60% over 60; diabetes ≈ 11%; childhood asthma ≈ 8%).
 */
const chronicConditions = {
  hypertension: {
    code: snomed('59621000', 'Essential hypertension (disorder)'),
    incidence: [
      [18, 39, 0.005],
      [40, 59, 0.017],
      [60, 120, 0.03],
    ],
    risk: { obese: 1.8, diabetes: 1.5 },
    medications: ['hydrochlorothiazide', 'lisinopril', 'amlodipine'],
    followUpMonths: 6,
  },
  hyperlipidemia: {
    code: snomed('55822004', 'Hyperlipidemia (disorder)'),
    incidence: [
      [20, 39, 0.005],
      [40, 59, 0.015],
      [60, 120, 0.02],
    ],
    risk: { obese: 1.5, diabetes: 1.5 },
    medications: ['simvastatin'],
    followUpMonths: 12,
  },
  prediabetes: {
    code: snomed('714628002', 'Prediabetes (finding)'),
    incidence: [
      [18, 44, 0.008],
      [45, 120, 0.018],
    ],
    risk: { obese: 2.5 },
    medications: [],
    followUpMonths: 12,
  },
  diabetes: {
    code: snomed('44054006', 'Diabetes mellitus type 2 (disorder)'),
    incidence: [[18, 120, 0.04]],
    risk: { obese: 1.5 },
    requires: 'prediabetes',
    supersedes: 'prediabetes',
    medications: ['metformin', 'insulin'],
    followUpMonths: 3,
  },
  asthma: {
    code: snomed('195967001', 'Asthma (disorder)'),
    incidence: [
      [1, 12, 0.009],
      [13, 120, 0.0015],
    ],
    medications: ['albuterol', 'fluticasone'],
    followUpMonths: 12,
    remission: 0.04,
  },
  copd: {
    code: snomed('13645005', 'Chronic obstructive lung disease (disorder)'),
    incidence: [[40, 120, 0.0015]],
    risk: { smoker: 10 },
    medications: ['albuterol', 'fluticasoneSalmeterol'],
    followUpMonths: 6,
  },
  coronaryHeartDisease: {
    code: snomed('53741008', 'Coronary arteriosclerosis (disorder)'),
    incidence: [
      [45, 59, 0.003],
      [60, 120, 0.008],
    ],
    risk: { smoker: 2, hypertension: 1.6, diabetes: 2, male: 1.6 },
    medications: ['aspirin', 'metoprolol', 'clopidogrel'],
    followUpMonths: 6,
  },
  atrialFibrillation: {
    code: snomed('49436004', 'Atrial fibrillation (disorder)'),
    incidence: [
      [55, 69, 0.004],
      [70, 120, 0.012],
    ],
    risk: { hypertension: 1.5 },
    medications: ['warfarin', 'digoxin'],
    followUpMonths: 3,
  },
  chronicKidneyDisease: {
    code: snomed('433144002', 'Chronic kidney disease stage 3 (disorder)'),
    incidence: [[50, 120, 0.002]],
    risk: { diabetes: 4, hypertension: 2.5 },
    medications: [],
    followUpMonths: 6,
  },
  osteoarthritis: {
    code: snomed('239873007', 'Osteoarthritis of knee (disorder)'),
    incidence: [
      [45, 64, 0.006],
      [65, 120, 0.012],
    ],
    risk: { obese: 2 },
    medications: ['naproxen'],
    followUpMonths: 0,
  },
  osteoporosis: {
    code: snomed('64859006', 'Osteoporosis (disorder)'),
    incidence: [[55, 120, 0.008]],
    risk: { female: 3, male: 0.3 },
    medications: ['alendronate'],
    followUpMonths: 12,
  },
  anemia: {
    code: snomed('271737000', 'Anemia (disorder)'),
    incidence: [
      [12, 50, 0.006],
      [51, 120, 0.004],
    ],
    risk: { female: 2.5, male: 0.4 },
    medications: ['ferrousSulfate'],
    followUpMonths: 6,
    remission: 0.3,
  },
} as const satisfies Record<string, ChronicCondition>;

export type ChronicKey = keyof typeof chronicConditions;

export const CHRONIC_CONDITIONS: Record<ChronicKey, ChronicCondition> = chronicConditions;

/** Obesity is recorded from the measured BMI (≥ 30 at an adult check-up), not drawn. */
export const OBESITY = snomed('162864005', 'Body mass index 30+ - obesity (finding)');

/** Where a short illness is seen. */
export type AcuteSetting = 'ambulatory' | 'emergency' | 'inpatient';

/** A short illness or injury: who gets it, where it is seen, how it is treated, how long it lasts. */
export interface AcuteCondition {
  readonly code: Code;
  /** Yearly chance by age band. */
  readonly incidence: Incidence;
  readonly risk?: Partial<Record<RiskFactor, number>>;
  readonly setting: AcuteSetting;
  /** Medications, one drawn (amoxicillin or penicillin for strep). */
  readonly medications: readonly MedicationKey[];
  /** Procedures performed at the visit. */
  readonly procedures: readonly ProcedureKey[];
  /** Days until it resolves: `[min, max]`. */
  readonly days: readonly [number, number];
  /** Fever at the visit. */
  readonly febrile?: boolean;
}

const acuteConditions = {
  viralSinusitis: {
    code: snomed('444814009', 'Viral sinusitis (disorder)'),
    incidence: [[0, 120, 0.17]],
    setting: 'ambulatory',
    medications: [],
    procedures: [],
    days: [7, 21],
  },
  acuteBronchitis: {
    code: snomed('10509002', 'Acute bronchitis (disorder)'),
    incidence: [[0, 120, 0.08]],
    risk: { smoker: 2 },
    setting: 'ambulatory',
    medications: ['acetaminophen'],
    procedures: ['sputumExam'],
    days: [7, 21],
    febrile: true,
  },
  viralPharyngitis: {
    code: snomed('195662009', 'Acute viral pharyngitis (disorder)'),
    incidence: [
      [0, 17, 0.18],
      [18, 120, 0.07],
    ],
    setting: 'ambulatory',
    medications: ['acetaminophen'],
    procedures: ['throatCulture'],
    days: [5, 12],
    febrile: true,
  },
  strepThroat: {
    code: snomed('43878008', 'Streptococcal sore throat (disorder)'),
    incidence: [
      [3, 17, 0.08],
      [18, 120, 0.015],
    ],
    setting: 'ambulatory',
    medications: ['amoxicillin', 'penicillinV'],
    procedures: ['throatCulture'],
    days: [7, 14],
    febrile: true,
  },
  otitisMedia: {
    code: snomed('65363002', 'Otitis media (disorder)'),
    incidence: [
      [0, 5, 0.35],
      [6, 12, 0.1],
    ],
    setting: 'ambulatory',
    medications: ['amoxicillin', 'ibuprofen'],
    procedures: [],
    days: [7, 21],
    febrile: true,
  },
  cystitis: {
    code: snomed('38822007', 'Cystitis (disorder)'),
    incidence: [[15, 120, 0.03]],
    risk: { female: 1, male: 0.1 },
    setting: 'ambulatory',
    medications: ['ciprofloxacin'],
    procedures: ['urinalysis'],
    days: [5, 10],
  },
  ankleSprain: {
    code: snomed('44465007', 'Sprain of ankle (disorder)'),
    incidence: [
      [8, 50, 0.03],
      [51, 120, 0.008],
    ],
    setting: 'emergency',
    medications: ['ibuprofen'],
    procedures: ['ankleXray', 'boneImmobilization'],
    days: [14, 42],
  },
  handLaceration: {
    code: snomed('284549007', 'Laceration of hand (disorder)'),
    incidence: [[3, 120, 0.02]],
    setting: 'emergency',
    medications: ['acetaminophen'],
    procedures: ['sutureWound'],
    days: [10, 21],
  },
  wristSprain: {
    code: snomed('70704007', 'Sprain of wrist (disorder)'),
    incidence: [[8, 120, 0.012]],
    setting: 'emergency',
    medications: ['ibuprofen'],
    procedures: ['ankleXray', 'boneImmobilization'],
    days: [14, 35],
  },
  forearmFracture: {
    code: snomed('65966004', 'Fracture of forearm (disorder)'),
    incidence: [
      [4, 17, 0.01],
      [18, 64, 0.003],
      [65, 120, 0.008],
    ],
    setting: 'emergency',
    medications: ['oxycodoneAcetaminophen'],
    procedures: ['ankleXray', 'boneImmobilization'],
    days: [42, 70],
  },
  whiplash: {
    code: snomed('39848009', 'Whiplash injury to neck (disorder)'),
    incidence: [[16, 120, 0.006]],
    setting: 'emergency',
    medications: ['naproxen'],
    procedures: ['ankleXray'],
    days: [14, 60],
  },
  concussion: {
    code: snomed('110030002', 'Concussion injury of brain (disorder)'),
    incidence: [
      [5, 25, 0.006],
      [26, 120, 0.002],
    ],
    setting: 'emergency',
    medications: ['acetaminophen'],
    procedures: [],
    days: [7, 28],
  },
  asthmaAttack: {
    code: snomed('708358003', 'Acute exacerbation of asthma (disorder)'),
    incidence: [[2, 120, 0.004]],
    setting: 'emergency',
    medications: ['albuterol'],
    procedures: [],
    days: [3, 10],
  },
  pneumonia: {
    code: snomed('233604007', 'Pneumonia (disorder)'),
    incidence: [
      [0, 4, 0.01],
      [5, 64, 0.003],
      [65, 120, 0.03],
    ],
    risk: { smoker: 2 },
    setting: 'inpatient',
    medications: ['amoxicillinClavulanate'],
    procedures: ['chestXray'],
    days: [10, 28],
    febrile: true,
  },
  cellulitis: {
    code: snomed('128045006', 'Cellulitis (disorder)'),
    incidence: [
      [0, 59, 0.002],
      [60, 120, 0.006],
    ],
    risk: { obese: 2 },
    setting: 'inpatient',
    medications: ['amoxicillinClavulanate'],
    procedures: [],
    days: [10, 21],
    febrile: true,
  },
  appendicitis: {
    code: snomed('74400008', 'Appendicitis (disorder)'),
    incidence: [
      [5, 40, 0.0015],
      [41, 120, 0.0007],
    ],
    setting: 'inpatient',
    medications: ['oxycodoneAcetaminophen'],
    procedures: ['appendectomy'],
    days: [14, 30],
    febrile: true,
  },
} as const satisfies Record<string, AcuteCondition>;

export type AcuteKey = keyof typeof acuteConditions;

export const ACUTE_CONDITIONS: Record<AcuteKey, AcuteCondition> = acuteConditions;

/** Recorded after an appendectomy. */
export const HISTORY_OF_APPENDECTOMY = snomed('428251008', 'History of appendectomy (situation)');
