import type { ChronicKey } from '../codes/conditions.js';
import type { MedicationKey } from '../codes/medications.js';
import type { Analyte } from '../codes/observations.js';
import type { Random } from '../random/random.js';
import type { Person } from './person.js';
import { ageAt, YEAR } from './time.js';

/** What is wrong with the patient at a moment: it shifts the measurements. */
export interface ClinicalState {
  /** Active chronic conditions with their onset times. */
  readonly conditions: ReadonlyMap<ChronicKey, number>;
  /** Long-term medications being taken. */
  readonly medications: ReadonlySet<MedicationKey>;
  /** The acute illness of this visit, if any. */
  readonly febrile: boolean;
  readonly pneumonia: boolean;
}

/** Piecewise-linear interpolation in an `[x, y]` table. */
function interpolate(table: readonly (readonly [number, number])[], x: number): number {
  if (x <= table[0]![0]) return table[0]![1];
  for (let i = 1; i < table.length; i++) {
    const [x1, y1] = table[i]!;
    if (x <= x1) {
      const [x0, y0] = table[i - 1]!;
      return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
    }
  }
  return table[table.length - 1]![1];
}

/** Median height (cm) by age, CDC/WHO growth charts. */
const HEIGHT_MEDIAN = {
  male: [
    [0, 49.9],
    [0.25, 61.4],
    [0.5, 67.6],
    [1, 75.7],
    [1.5, 82.3],
    [2, 87.1],
    [3, 96.1],
    [4, 103.3],
    [5, 110],
    [6, 116],
    [7, 121.7],
    [8, 127.3],
    [9, 132.6],
    [10, 137.8],
    [11, 143.1],
    [12, 149.1],
    [13, 156],
    [14, 163.2],
    [15, 169],
    [16, 172.9],
    [17, 175.2],
    [18, 176.1],
    [60, 176.1],
    [90, 172.5],
  ],
  female: [
    [0, 49.1],
    [0.25, 59.8],
    [0.5, 65.7],
    [1, 74],
    [1.5, 80.7],
    [2, 85.7],
    [3, 95.1],
    [4, 102.7],
    [5, 109.4],
    [6, 115.1],
    [7, 120.8],
    [8, 126.6],
    [9, 132.5],
    [10, 138.6],
    [11, 144],
    [12, 151.2],
    [13, 156.4],
    [14, 159.8],
    [15, 161.7],
    [16, 162.5],
    [17, 163],
    [18, 163.3],
    [60, 163.3],
    [90, 159],
  ],
} as const;

/** Median BMI by age for children (CDC charts); adults follow the patient's own trajectory. */
const CHILD_BMI_MEDIAN = [
  [0, 13.4],
  [0.25, 16],
  [0.5, 17.2],
  [1, 16.9],
  [2, 16.3],
  [3, 15.8],
  [4, 15.5],
  [5, 15.4],
  [6, 15.4],
  [7, 15.6],
  [8, 16],
  [10, 16.9],
  [12, 18],
  [14, 19.4],
  [16, 20.5],
  [18, 21.5],
  [20, 22.5],
] as const;

export function heightCm(person: Person, ms: number): number {
  const age = ageAt(person.birth, ms);
  const median = interpolate(HEIGHT_MEDIAN[person.sex], age);
  return median * (1 + 0.038 * person.physiology.heightZ);
}

/** The patient's BMI without day-to-day noise (drives obesity and its risks). */
export function bmiTrend(person: Person, ms: number): number {
  const age = ageAt(person.birth, ms);
  const { bmiOffset, bmiDrift } = person.physiology;
  if (age < 20)
    return interpolate(CHILD_BMI_MEDIAN, age) * (1 + (bmiOffset / 24.5) * Math.min(1, 0.3 + age / 20));
  const elderlyLoss = age > 75 ? 0.15 * (age - 75) : 0;
  return 24.5 + bmiOffset + bmiDrift * (Math.min(age, 65) - 20) - elderlyLoss;
}

export function isObese(person: Person, ms: number): boolean {
  return ageAt(person.birth, ms) >= 18 && bmiTrend(person, ms) >= 30;
}

const yearsSince = (state: ClinicalState, key: ChronicKey, ms: number) => {
  const onset = state.conditions.get(key);
  return onset === undefined ? 0 : Math.max(0, (ms - onset) / YEAR);
};

const countOf = (state: ClinicalState, keys: readonly MedicationKey[]) =>
  keys.filter((k) => state.medications.has(k)).length;

/** Systolic and diastolic pressure (mm[Hg]). */
export function bloodPressure(
  person: Person,
  ms: number,
  state: ClinicalState,
  random: Random,
): [number, number] {
  const age = ageAt(person.birth, ms);
  const z = person.physiology.bpZ;
  let systolic: number;
  let diastolic: number;
  if (age < 18) {
    systolic = 88 + 1.3 * age + 5 * z;
    diastolic = 50 + 1.1 * age + 3 * z;
  } else {
    systolic = 112 + 0.42 * (age - 20) + (person.sex === 'male' ? 4 : 0) + 7 * z;
    diastolic = 72 + (age < 60 ? 0.12 * (age - 20) : 4.8 - 0.15 * (age - 60)) + 4 * z;
  }
  if (state.conditions.has('hypertension')) {
    const treated = countOf(state, ['hydrochlorothiazide', 'lisinopril', 'amlodipine', 'metoprolol']);
    systolic += 24 - 9 * treated;
    diastolic += 11 - 4 * treated;
  }
  if (isObese(person, ms)) systolic += 4;
  return [
    Math.round(random.normal(systolic, 6, 70, 220)),
    Math.round(random.normal(Math.min(diastolic, systolic - 25), 4, 35, 130)),
  ];
}

export function heartRate(person: Person, ms: number, state: ClinicalState, random: Random): number {
  const age = ageAt(person.birth, ms);
  let mean = age < 1 ? 130 : age < 6 ? 105 : age < 13 ? 88 : 72;
  if (person.smoking.status === 'current') mean += 5;
  if (state.febrile) mean += 14;
  if (state.conditions.has('atrialFibrillation')) mean += 22 - 10 * countOf(state, ['digoxin', 'metoprolol']);
  else if (state.medications.has('metoprolol')) mean -= 8;
  return Math.round(random.normal(mean, age < 13 ? 10 : 8, 40, 190));
}

export function respiratoryRate(person: Person, ms: number, state: ClinicalState, random: Random): number {
  const age = ageAt(person.birth, ms);
  let mean = age < 1 ? 36 : age < 6 ? 26 : age < 13 ? 20 : 15;
  if (state.febrile) mean += 3;
  if (state.pneumonia) mean += 5;
  if (state.conditions.has('copd')) mean += 3;
  return Math.round(random.normal(mean, 2, 8, 60));
}

export function temperature(state: ClinicalState, random: Random): number {
  return state.febrile ? random.between(38.1, 39.7) : random.normal(36.8, 0.22, 36, 37.5);
}

export function oxygenSaturation(state: ClinicalState, random: Random): number {
  if (state.pneumonia) return Math.round(random.normal(91, 2, 84, 96));
  if (state.conditions.has('copd')) return Math.round(random.normal(93, 1.5, 86, 97));
  return Math.round(random.normal(98, 0.9, 95, 100));
}

/** HbA1c (%): normal, prediabetic, or diabetic rising with years of disease and falling with treatment. */
export function hba1c(person: Person, ms: number, state: ClinicalState): number {
  const base = 5.15 + 0.12 * (person.physiology.labZ[0] ?? 0);
  if (state.conditions.has('diabetes')) {
    // Untreated, HbA1c climbs with years of disease; each drug pulls it back down.
    const years = Math.min(12, yearsSince(state, 'diabetes', ms));
    const treated =
      (state.medications.has('metformin') ? 0.8 : 0) + (state.medications.has('insulin') ? 1.0 : 0);
    return Math.min(
      12,
      Math.max(5.9, 7.4 + 0.15 * years - treated + 0.25 * (person.physiology.labZ[1] ?? 0)),
    );
  }
  if (state.conditions.has('prediabetes'))
    return Math.min(6.4, 5.8 + 0.1 * yearsSince(state, 'prediabetes', ms));
  return base;
}

/** The expected value of one analyte for this patient now, before measurement noise. */
export function analyteMean(
  analyte: Analyte,
  person: Person,
  ms: number,
  state: ClinicalState,
  earlier: ReadonlyMap<string, number>,
): number {
  const female = person.sex === 'female';
  const lipid = person.physiology.lipidZ;
  const hyperlipidemia = state.conditions.has('hyperlipidemia') ? 48 : 0;
  const statin = state.medications.has('simvastatin') ? 45 : 0;
  const anemia = state.conditions.has('anemia');
  const ckdYears = state.conditions.has('chronicKidneyDisease')
    ? 1 + yearsSince(state, 'chronicKidneyDisease', ms)
    : 0;
  const age = ageAt(person.birth, ms);
  switch (analyte.code.code) {
    case '2339-0': {
      if (state.conditions.has('diabetes')) return 28.7 * hba1c(person, ms, state) - 46.7;
      return state.conditions.has('prediabetes') ? 108 : analyte.mean;
    }
    case '4548-4':
      return hba1c(person, ms, state);
    case '38483-4':
      return (female ? 0.78 : 0.98) + (age > 70 ? 0.1 : 0) + (ckdYears > 0 ? 0.75 + 0.12 * ckdYears : 0);
    case '33914-3': {
      // MDRD from the creatinine measured in the same panel.
      const creatinine = earlier.get('38483-4') ?? 0.9;
      return 175 * creatinine ** -1.154 * Math.max(age, 18) ** -0.203 * (female ? 0.742 : 1);
    }
    case '6299-2':
      return analyte.mean + (ckdYears > 0 ? 12 + 2 * ckdYears : 0);
    case '6298-4':
      return analyte.mean + (ckdYears > 0 ? 0.4 : 0);
    case '2093-3':
      return 185 + 30 * lipid + hyperlipidemia - statin;
    case '2085-9':
      return (female ? 58 : 49) - 3 * lipid - (isObese(person, ms) ? 6 : 0);
    case '2571-8':
      return 115 + 30 * lipid + (state.conditions.has('diabetes') ? 60 : 0) + (isObese(person, ms) ? 30 : 0);
    case '18262-6': {
      const total = earlier.get('2093-3') ?? 190;
      return total - (earlier.get('2085-9') ?? 54) - (earlier.get('2571-8') ?? 120) / 5;
    }
    case '718-7':
      return (female ? 13.6 : 15.1) - (anemia ? 3 - (state.medications.has('ferrousSulfate') ? 1 : 0) : 0);
    case '4544-3':
      return (earlier.get('718-7') ?? 14) * 2.95;
    case '789-8':
      return (earlier.get('718-7') ?? 14) / (anemia ? 2.6 : 3.0);
    case '787-2':
      return anemia ? 76 : analyte.mean;
    case '6690-2':
      return analyte.mean + (state.febrile ? 5 : 0);
    case '14959-1':
      return state.conditions.has('diabetes') ? 18 + 14 * yearsSince(state, 'diabetes', ms) : analyte.mean;
    default:
      return analyte.mean;
  }
}

/** A measured lab value: the patient's expectation plus a stable personal offset and noise. */
export function analyteValue(
  analyte: Analyte,
  person: Person,
  ms: number,
  state: ClinicalState,
  earlier: ReadonlyMap<string, number>,
  random: Random,
): number {
  const mean = analyteMean(analyte, person, ms, state, earlier);
  // Derived analytes (eGFR, LDL, Hct, RBC) already carry their inputs' noise.
  const derived = ['33914-3', '18262-6', '4544-3', '789-8'].includes(analyte.code.code);
  const slot = Number.parseInt(analyte.code.code.replace(/\D/g, '').slice(-3), 10) % 24;
  const personal = derived ? 0 : 0.5 * (person.physiology.labZ[slot] ?? 0);
  const spread = derived ? 0.25 : 0.55;
  const value = mean + analyte.sd * (personal + random.normal(0, spread));
  const p = 10 ** analyte.decimals;
  return Math.round(Math.min(analyte.max, Math.max(analyte.min, value)) * p) / p;
}
