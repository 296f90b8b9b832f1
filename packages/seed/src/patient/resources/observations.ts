import type { Resource } from '@hospitium/fhir';
import type { Ref } from '../../bundle/transaction.js';
import { SMOKING_STATUSES } from '../../codes/demographics.js';
import {
  type Analyte,
  LAB_CATEGORY,
  type LabPanel,
  type Measure,
  SOCIAL,
  VITALS,
} from '../../codes/observations.js';
import { type Code, concept, SYSTEMS } from '../../codes/systems.js';
import { organizationRef } from '../../shared/references.js';
import {
  analyteValue,
  bloodPressure,
  bmiTrend,
  type ClinicalState,
  heartRate,
  heightCm,
  oxygenSaturation,
  respiratoryRate,
  temperature,
} from '../physiology.js';
import { ageAt, dateTime, instant, MINUTE } from '../time.js';
import { type EncounterContext, type PatientContext, quantity } from './context.js';

type Category = 'vital-signs' | 'laboratory' | 'social-history';

const CATEGORY_DISPLAY: Record<Category, string> = {
  'vital-signs': 'Vital Signs',
  laboratory: 'Laboratory',
  'social-history': 'Social History',
};

function base(ctx: PatientContext, enc: EncounterContext, category: Category, code: Code, at: number) {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [
      {
        coding: [
          { system: SYSTEMS.observationCategory, code: category, display: CATEGORY_DISPLAY[category] },
        ],
      },
    ],
    code: concept(code),
    subject: ctx.patient,
    encounter: enc.ref,
    effectiveDateTime: dateTime(at),
    issued: instant(at),
  };
}

function round(value: number, decimals: number): number {
  const p = 10 ** decimals;
  return Math.round(value * p) / p;
}

function measured(
  ctx: PatientContext,
  enc: EncounterContext,
  measure: Measure,
  value: number,
  at: number,
): Ref {
  return ctx.builder.post(
    {
      ...base(ctx, enc, 'vital-signs', measure.code, at),
      valueQuantity: quantity(round(value, measure.decimals), measure.unit),
    },
    measure.code.display,
  );
}

/**
 * Vital signs taken at a visit: body measurements at check-ups and in children, blood pressure
 * from age three, heart and breathing rate always, temperature and oxygen saturation when ill
 * or in hospital, and a pain score.
 */
export function writeVitals(
  ctx: PatientContext,
  enc: EncounterContext,
  state: ClinicalState,
  at: number,
  options: { body: boolean; acute: boolean; pain: number },
): void {
  const { person, random } = ctx;
  const age = ageAt(person.birth, at);
  if (options.body) {
    const height = heightCm(person, at) + random.normal(0, 0.4);
    const bmi = bmiTrend(person, at) * random.normal(1, 0.012);
    measured(ctx, enc, VITALS.height, height, at);
    measured(ctx, enc, VITALS.weight, bmi * (height / 100) ** 2, at);
    if (age >= 2) measured(ctx, enc, VITALS.bmi, bmi, at);
  }
  if (age >= 3) {
    const [systolic, diastolic] = bloodPressure(person, at, state, random);
    const component = (measure: Measure, value: number) => ({
      code: concept(measure.code),
      valueQuantity: quantity(value, measure.unit),
    });
    ctx.builder.post(
      {
        ...base(ctx, enc, 'vital-signs', VITALS.bloodPressure.code, at),
        component: [component(VITALS.systolic, systolic), component(VITALS.diastolic, diastolic)],
      },
      VITALS.bloodPressure.code.display,
    );
  }
  measured(ctx, enc, VITALS.heartRate, heartRate(person, at, state, random), at);
  measured(ctx, enc, VITALS.respiratoryRate, respiratoryRate(person, at, state, random), at);
  if (options.acute) {
    measured(ctx, enc, VITALS.temperature, temperature(state, random), at);
    measured(ctx, enc, VITALS.oxygenSaturation, oxygenSaturation(state, random), at);
  }
  if (age >= 5) measured(ctx, enc, VITALS.pain, options.pain, at);
}

/** Tobacco smoking status (adolescents and adults, at check-ups). */
export function writeSmokingStatus(ctx: PatientContext, enc: EncounterContext, at: number): void {
  const { person } = ctx;
  const age = ageAt(person.birth, at);
  const smoking = person.smoking;
  let status = SMOKING_STATUSES[0]![0];
  if (smoking.status !== 'never' && age >= smoking.startAge) {
    const quit = smoking.status === 'former' && smoking.quitAge !== undefined && age >= smoking.quitAge;
    status = SMOKING_STATUSES[quit ? 1 : 2]![0];
  }
  ctx.builder.post({
    ...base(ctx, enc, 'social-history', SOCIAL.smokingStatus, at),
    valueCodeableConcept: concept(status),
  });
}

function interpretation(analyte: Analyte, value: number) {
  const low = analyte.mean - 2 * analyte.sd;
  const high = analyte.mean + 2 * analyte.sd;
  const code = value < low ? 'L' : value > high ? 'H' : 'N';
  const display = code === 'L' ? 'Low' : code === 'H' ? 'High' : 'Normal';
  return {
    interpretation: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code, display },
        ],
      },
    ],
    referenceRange: [
      {
        low: quantity(round(Math.max(analyte.min, low), analyte.decimals), analyte.unit),
        high: quantity(round(high, analyte.decimals), analyte.unit),
      },
    ],
  };
}

function labObservation(
  ctx: PatientContext,
  enc: EncounterContext,
  analyte: Analyte,
  value: number,
  at: number,
): Resource {
  return {
    ...base(ctx, enc, 'laboratory', analyte.code, at),
    valueQuantity: quantity(value, analyte.unit),
    ...interpretation(analyte, value),
  };
}

/** Lab results resulted an hour after the draw. */
const RESULT_DELAY = 60 * MINUTE;

/** A lab panel: one Observation per analyte and a DiagnosticReport grouping them. */
export function writeLabPanel(
  ctx: PatientContext,
  enc: EncounterContext,
  panel: LabPanel,
  state: ClinicalState,
  at: number,
  cost: number,
): void {
  const values = new Map<string, number>();
  const results: Ref[] = [];
  for (const analyte of panel.analytes) {
    const value = analyteValue(analyte, ctx.person, at, state, values, ctx.random);
    values.set(analyte.code.code, value);
    results.push(ctx.builder.post(labObservation(ctx, enc, analyte, value, at), analyte.code.display));
  }
  ctx.builder.post({
    resourceType: 'DiagnosticReport',
    status: 'final',
    category: [
      {
        coding: [
          { system: SYSTEMS.v2DiagnosticService, code: LAB_CATEGORY.code, display: LAB_CATEGORY.display },
        ],
      },
    ],
    code: concept(panel.code),
    subject: ctx.patient,
    encounter: enc.ref,
    effectiveDateTime: dateTime(at),
    issued: instant(at + RESULT_DELAY),
    performer: [organizationRef(enc.facility)],
    result: results,
  });
  enc.charges.push({ code: panel.code, cost, kind: 'lab' });
}

/** A single lab test outside a panel (HbA1c, urine microalbumin). */
export function writeLab(
  ctx: PatientContext,
  enc: EncounterContext,
  analyte: Analyte,
  state: ClinicalState,
  at: number,
  cost: number,
): void {
  const value = analyteValue(analyte, ctx.person, at, state, new Map(), ctx.random);
  ctx.builder.post(labObservation(ctx, enc, analyte, value, at), analyte.code.display);
  enc.charges.push({ code: analyte.code, cost, kind: 'lab' });
}
