import { type Code, cvx } from './systems.js';

/** A vaccine with the ages its doses are due (months), and what a dose costs. */
export interface Vaccine {
  readonly code: Code;
  /** Ages in months at which each dose is due; a dose is given at the first visit from that age. */
  readonly doseAgesMonths: readonly number[];
  /** For boosters: months between doses after the last scheduled one (Td every 10 years). */
  readonly repeatEveryMonths?: number;
  /** Only given to this sex (none: both). */
  readonly sex?: 'female' | 'male';
  readonly cost: number;
}

const y = (years: number) => years * 12;

/** The CDC routine schedule for children and adults, as the generator applies it at visits. */
export const VACCINES = {
  hepBPediatric: { code: cvx('08', 'Hep B, adolescent or pediatric'), doseAgesMonths: [0, 1, 6], cost: 52 },
  rotavirus: { code: cvx('119', 'rotavirus, monovalent'), doseAgesMonths: [2, 4], cost: 110 },
  dtap: { code: cvx('20', 'DTaP'), doseAgesMonths: [2, 4, 6, 15, 48], cost: 38 },
  hib: { code: cvx('49', 'Hib (PRP-OMP)'), doseAgesMonths: [2, 4, 12], cost: 28 },
  pcv13: {
    code: cvx('133', 'Pneumococcal conjugate PCV 13'),
    doseAgesMonths: [2, 4, 6, 12, y(65)],
    cost: 198,
  },
  ipv: { code: cvx('10', 'IPV'), doseAgesMonths: [2, 4, 6, 48], cost: 34 },
  mmr: { code: cvx('03', 'MMR'), doseAgesMonths: [12, 48], cost: 84 },
  varicella: { code: cvx('21', 'varicella'), doseAgesMonths: [12, 48], cost: 140 },
  hepAPediatric: { code: cvx('83', 'Hep A, ped/adol, 2 dose'), doseAgesMonths: [12, 18], cost: 36 },
  tdap: { code: cvx('115', 'Tdap'), doseAgesMonths: [y(11)], cost: 44 },
  td: {
    code: cvx('113', 'Td (adult) preservative free'),
    doseAgesMonths: [y(21)],
    repeatEveryMonths: y(10),
    cost: 30,
  },
  hpv: { code: cvx('62', 'HPV, quadrivalent'), doseAgesMonths: [y(11), y(11) + 6], cost: 250 },
  meningococcal: { code: cvx('114', 'meningococcal MCV4P'), doseAgesMonths: [y(11), y(16)], cost: 120 },
  zoster: { code: cvx('187', 'zoster vaccine recombinant'), doseAgesMonths: [y(50), y(50) + 4], cost: 180 },
  ppsv23: {
    code: cvx('33', 'pneumococcal polysaccharide vaccine, 23 valent'),
    doseAgesMonths: [y(66)],
    cost: 110,
  },
} as const satisfies Record<string, Vaccine>;

/** Seasonal influenza: one dose a season from six months of age, at the first visit of the season. */
export const INFLUENZA: Vaccine = {
  code: cvx('140', 'Influenza, seasonal, injectable, preservative free'),
  doseAgesMonths: [6],
  cost: 25,
};

/** COVID-19 primary series for everyone 12 and over, spring 2021 (two doses four weeks apart). */
export const COVID19 = {
  code: cvx(
    '208',
    'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose',
  ),
  minAgeYears: 12,
  firstDose: '2021-03-01',
  lastFirstDose: '2021-07-31',
  intervalDays: 21,
  cost: 0,
} as const;
