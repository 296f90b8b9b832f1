import { type Code, loinc } from './systems.js';

/** One kind of measurement: its LOINC code, UCUM unit and how many decimals values keep. */
export interface Measure {
  readonly code: Code;
  readonly unit: string;
  readonly decimals: number;
}

/** One analyte in a lab panel with its population distribution for healthy adults. */
export interface Analyte extends Measure {
  /** Healthy-adult mean and standard deviation; the generator adds patient baselines and disease. */
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

export interface LabPanel {
  readonly code: Code;
  readonly analytes: readonly Analyte[];
}

const m = (code: string, display: string, unit: string, decimals: number): Measure => ({
  code: loinc(code, display),
  unit,
  decimals,
});

/** Vital signs (US Core vital-signs profile codes) and other measurements taken at visits. */
export const VITALS = {
  height: m('8302-2', 'Body Height', 'cm', 1),
  weight: m('29463-7', 'Body Weight', 'kg', 1),
  bmi: m('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 1),
  bloodPressure: m('85354-9', 'Blood pressure panel with all children optional', 'mm[Hg]', 0),
  systolic: m('8480-6', 'Systolic blood pressure', 'mm[Hg]', 0),
  diastolic: m('8462-4', 'Diastolic blood pressure', 'mm[Hg]', 0),
  heartRate: m('8867-4', 'Heart rate', '/min', 0),
  respiratoryRate: m('9279-1', 'Respiratory rate', '/min', 0),
  temperature: m('8310-5', 'Body temperature', 'Cel', 1),
  oxygenSaturation: m('2708-6', 'Oxygen saturation in Arterial blood', '%', 0),
  pain: m('72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported', '{score}', 0),
} as const;

/** Social history observations (category survey / social-history). */
export const SOCIAL = {
  smokingStatus: loinc('72166-2', 'Tobacco smoking status'),
} as const;

const a = (
  code: string,
  display: string,
  unit: string,
  decimals: number,
  mean: number,
  sd: number,
  min: number,
  max: number,
): Analyte => ({ code: loinc(code, display), unit, decimals, mean, sd, min, max });

export const GLUCOSE = a('2339-0', 'Glucose [Mass/volume] in Blood', 'mg/dL', 1, 88, 8, 60, 400);
export const CREATININE = a('38483-4', 'Creatinine [Mass/volume] in Blood', 'mg/dL', 2, 0.95, 0.18, 0.4, 8);
export const EGFR = a(
  '33914-3',
  'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)',
  'mL/min/{1.73_m2}',
  1,
  95,
  15,
  5,
  150,
);
export const HBA1C = a('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 1, 5.2, 0.25, 4.2, 14);
export const MICROALBUMIN_RATIO = a(
  '14959-1',
  'Microalbumin/Creatinine [Mass Ratio] in Urine',
  'mg/g',
  1,
  12,
  6,
  1,
  600,
);

const BMP_ANALYTES = [
  GLUCOSE,
  a('6299-2', 'Urea nitrogen [Mass/volume] in Blood', 'mg/dL', 1, 13.5, 3.5, 5, 90),
  CREATININE,
  a('49765-1', 'Calcium [Mass/volume] in Blood', 'mg/dL', 1, 9.4, 0.35, 8, 11),
  a('2947-0', 'Sodium [Moles/volume] in Blood', 'mmol/L', 0, 140, 2, 128, 150),
  a('6298-4', 'Potassium [Moles/volume] in Blood', 'mmol/L', 1, 4.3, 0.35, 3.2, 6),
  a('2069-3', 'Chloride [Moles/volume] in Blood', 'mmol/L', 0, 104, 2.5, 95, 112),
  a('20565-8', 'Carbon dioxide, total [Moles/volume] in Blood', 'mmol/L', 0, 25, 2.2, 18, 32),
];

export const LAB_PANELS = {
  /** Basic metabolic panel. */
  bmp: { code: loinc('51990-0', 'Basic metabolic panel - Blood'), analytes: BMP_ANALYTES },
  /** Comprehensive metabolic panel: the BMP plus liver tests, proteins and eGFR. */
  cmp: {
    code: loinc('24323-8', 'Comprehensive metabolic 2000 panel - Serum or Plasma'),
    analytes: [
      ...BMP_ANALYTES,
      EGFR,
      a('2885-2', 'Protein [Mass/volume] in Serum or Plasma', 'g/dL', 1, 7.0, 0.45, 5.5, 8.8),
      a('1751-7', 'Albumin [Mass/volume] in Serum or Plasma', 'g/dL', 1, 4.3, 0.3, 3, 5.4),
      a('1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma', 'mg/dL', 1, 0.7, 0.25, 0.1, 2.5),
      a(
        '6768-6',
        'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma',
        'U/L',
        0,
        75,
        20,
        30,
        200,
      ),
      a(
        '1742-6',
        'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
        'U/L',
        0,
        24,
        9,
        5,
        120,
      ),
      a(
        '1920-8',
        'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
        'U/L',
        0,
        23,
        7,
        8,
        110,
      ),
    ],
  },
  /** Lipid panel. */
  lipids: {
    code: loinc('57698-3', 'Lipid panel with direct LDL - Serum or Plasma'),
    analytes: [
      a('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 0, 190, 32, 110, 340),
      a('2571-8', 'Triglycerides', 'mg/dL', 0, 125, 45, 40, 600),
      a(
        '18262-6',
        'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
        'mg/dL',
        0,
        112,
        28,
        40,
        250,
      ),
      a('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 0, 54, 12, 25, 100),
    ],
  },
  /** Complete blood count. */
  cbc: {
    code: loinc('58410-2', 'CBC panel - Blood by Automated count'),
    analytes: [
      a('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 1, 7.0, 1.6, 2.5, 25),
      a('789-8', 'Erythrocytes [#/volume] in Blood by Automated count', '10*6/uL', 2, 4.7, 0.4, 2.8, 6.2),
      a('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 1, 14.2, 1.2, 7, 18.5),
      a('4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', '%', 1, 42, 3.5, 22, 54),
      a('787-2', 'MCV [Entitic volume] by Automated count', 'fL', 1, 89, 4, 70, 105),
      a('785-6', 'MCH [Entitic mass] by Automated count', 'pg', 1, 30, 1.5, 22, 36),
      a('786-4', 'MCHC [Mass/volume] by Automated count', 'g/dL', 1, 34, 0.8, 30, 37),
      a(
        '21000-5',
        'Erythrocyte distribution width [Entitic volume] by Automated count',
        'fL',
        1,
        43,
        2.5,
        36,
        60,
      ),
      a('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 0, 260, 55, 90, 600),
      a(
        '32623-1',
        'Platelet mean volume [Entitic volume] in Blood by Automated count',
        'fL',
        1,
        10.5,
        0.9,
        7.5,
        13.5,
      ),
    ],
  },
} as const satisfies Record<string, LabPanel>;

/** What each lab test costs (claim line, USD), by LOINC code of the panel or test. */
export const LAB_COSTS: Record<string, number> = {
  '51990-0': 42,
  '24323-8': 58,
  '57698-3': 48,
  '58410-2': 36,
  '4548-4': 30,
  '14959-1': 25,
};

/** Display of a lab panel's DiagnosticReport category. */
export const LAB_CATEGORY = { code: 'LAB', display: 'Laboratory' } as const;
