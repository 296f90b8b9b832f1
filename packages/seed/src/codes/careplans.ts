import type { AcuteKey, ChronicKey } from './conditions.js';
import { type Code, loinc, snomed } from './systems.js';

/** A measurable target of a care plan (Goal.target). */
export interface GoalTarget {
  readonly description: string;
  readonly measure?: Code;
  /** Upper limit of the target range, in `unit`. */
  readonly high?: number;
  readonly unit?: string;
}

/** The care plan started when a chronic condition is diagnosed: its kind, activities and goals. */
export interface CarePlanType {
  readonly code: Code;
  readonly activities: readonly Code[];
  readonly goals: readonly GoalTarget[];
}

const smokingCessation = snomed('710081004', 'Smoking cessation therapy (procedure)');

/** Care plans by condition (Synthea's chronic-disease plans). */
export const CARE_PLANS: Partial<Record<ChronicKey, CarePlanType>> = {
  diabetes: {
    code: snomed('698360004', 'Diabetes self management plan (record artifact)'),
    activities: [
      snomed('160670007', 'Diabetic diet (finding)'),
      snomed('229065009', 'Exercise therapy (regime/therapy)'),
    ],
    goals: [
      {
        description: 'Hemoglobin A1c total in Blood < 7.0',
        measure: loinc('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
        high: 7,
        unit: '%',
      },
      { description: 'Glucose [Mass/volume] in Blood < 108' },
    ],
  },
  hypertension: {
    code: snomed('443402002', 'Lifestyle education regarding hypertension (procedure)'),
    activities: [
      snomed('386463000', 'Prescribed activity/exercise education (procedure)'),
      snomed('413473000', 'Counseling about alcohol consumption (procedure)'),
    ],
    goals: [
      {
        description: 'Maintain blood pressure below 140/90 mm[Hg]',
        measure: loinc('8480-6', 'Systolic blood pressure'),
        high: 140,
        unit: 'mm[Hg]',
      },
      { description: 'Reduce sodium intake to no more than 2,400 mg/day' },
    ],
  },
  asthma: {
    code: snomed('699728000', 'Asthma self management (procedure)'),
    activities: [smokingCessation, snomed('708409001', 'Home nebulizer therapy (procedure)')],
    goals: [{ description: 'Asthma symptoms controlled, no limitation of activity' }],
  },
  copd: {
    code: snomed(
      '412776001',
      'Chronic obstructive pulmonary disease clinical management plan (record artifact)',
    ),
    activities: [smokingCessation, snomed('15081005', 'Pulmonary rehabilitation (regime/therapy)')],
    goals: [{ description: 'Fewer exacerbations; stop smoking' }],
  },
};

const physicalTherapy: CarePlanType = {
  code: snomed('91251008', 'Physical therapy procedure (regime/therapy)'),
  activities: [
    snomed('229586001', 'Rest, ice, compression and elevation treatment programme (regime/therapy)'),
    snomed('229070002', 'Stretching exercises (regime/therapy)'),
  ],
  goals: [],
};

/** Short care plans for acute problems (completed when the problem resolves). */
export const ACUTE_CARE_PLANS: Partial<Record<AcuteKey, CarePlanType>> = {
  acuteBronchitis: {
    code: snomed('53950000', 'Respiratory therapy (procedure)'),
    activities: [
      snomed('304510005', 'Recommendation to avoid exercise (procedure)'),
      snomed('371605008', 'Deep breathing and coughing exercises (procedure)'),
    ],
    goals: [],
  },
  ankleSprain: physicalTherapy,
  wristSprain: physicalTherapy,
  forearmFracture: physicalTherapy,
  handLaceration: {
    code: snomed('225358003', 'Wound care (regime/therapy)'),
    activities: [snomed('385949008', 'Dressing change management (procedure)')],
    goals: [],
  },
};

/** US Core CarePlan category. */
export const ASSESS_PLAN = {
  system: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category',
  code: 'assess-plan',
  display: 'Assessment and Plan of Treatment',
} as const;
