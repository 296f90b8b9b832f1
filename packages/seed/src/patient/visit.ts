import type { Ref } from '../bundle/transaction.js';
import { COVID19, INFLUENZA, VACCINES, type Vaccine } from '../codes/immunizations.js';
import { HBA1C, LAB_COSTS, LAB_PANELS, type LabPanel, MICROALBUMIN_RATIO } from '../codes/observations.js';
import { PROCEDURES, SCREENINGS } from '../codes/procedures.js';
import type { ClinicalState } from './physiology.js';
import { writeImmunization, writeProcedure } from './resources/clinical.js';
import type { EncounterContext, PatientContext } from './resources/context.js';
import { writeLab, writeLabPanel, writeSmokingStatus, writeVitals } from './resources/observations.js';
import { ageAt, DAY, HOUR, MINUTE, YEAR } from './time.js';

/** What the record remembers between visits: what was done last, and which doses were given. */
export interface CareMemory {
  readonly lastDone: Map<string, number>;
  readonly dosesGiven: Map<string, number>;
  lastFluSeason?: number;
}

export function newCareMemory(): CareMemory {
  return { lastDone: new Map(), dosesGiven: new Map() };
}

function due(memory: CareMemory, key: string, at: number, everyYears: number): boolean {
  const last = memory.lastDone.get(key);
  return last === undefined || at - last >= everyYears * YEAR - 30 * DAY;
}

function panel(
  ctx: PatientContext,
  enc: EncounterContext,
  memory: CareMemory,
  p: LabPanel,
  state: ClinicalState,
  at: number,
) {
  writeLabPanel(ctx, enc, p, state, at, LAB_COSTS[p.code.code] ?? 40);
  memory.lastDone.set(p.code.code, at);
}

/**
 * Labs ordered at an office visit: lipids every five years from 20 (yearly with hyperlipidemia,
 * heart disease or diabetes), a metabolic panel for adults over 40 or on treatment, a blood count
 * every three years and for anaemia, HbA1c for (pre)diabetes and a urine microalbumin for diabetics.
 */
export function officeLabs(
  ctx: PatientContext,
  enc: EncounterContext,
  memory: CareMemory,
  state: ClinicalState,
  at: number,
  checkUp: boolean,
): void {
  const age = ageAt(ctx.person.birth, at);
  if (age < 18) return;
  const has = (k: Parameters<typeof state.conditions.has>[0]) => state.conditions.has(k);
  const cardiometabolic = has('hyperlipidemia') || has('coronaryHeartDisease') || has('diabetes');
  const drawAt = at + 20 * MINUTE;
  if (
    age >= 20 &&
    due(memory, LAB_PANELS.lipids.code.code, at, cardiometabolic ? 1 : 5) &&
    (checkUp || cardiometabolic)
  ) {
    panel(ctx, enc, memory, LAB_PANELS.lipids, state, drawAt);
  }
  const kidney = has('chronicKidneyDisease');
  const metabolic = kidney || has('hypertension') || has('diabetes') || (checkUp && age >= 40);
  const treated = kidney || has('hypertension') || has('diabetes');
  if (metabolic && due(memory, 'metabolic', at, kidney ? 0.4 : treated ? 1 : 3)) {
    panel(ctx, enc, memory, kidney ? LAB_PANELS.cmp : LAB_PANELS.bmp, state, drawAt);
    memory.lastDone.set('metabolic', at);
  }
  if (due(memory, LAB_PANELS.cbc.code.code, at, has('anemia') ? 0.4 : 3) && (checkUp || has('anemia'))) {
    panel(ctx, enc, memory, LAB_PANELS.cbc, state, drawAt);
  }
  if (
    (has('diabetes') || has('prediabetes')) &&
    due(memory, HBA1C.code.code, at, has('diabetes') ? 0.2 : 0.9)
  ) {
    writeLab(ctx, enc, HBA1C, state, drawAt, LAB_COSTS[HBA1C.code.code]!);
    memory.lastDone.set(HBA1C.code.code, at);
  }
  if (has('diabetes') && due(memory, MICROALBUMIN_RATIO.code.code, at, 1)) {
    writeLab(ctx, enc, MICROALBUMIN_RATIO, state, drawAt, LAB_COSTS[MICROALBUMIN_RATIO.code.code]!);
    memory.lastDone.set(MICROALBUMIN_RATIO.code.code, at);
  }
}

/** Labs on arrival in the emergency department or on admission: blood count and chemistry. */
export function acuteLabs(
  ctx: PatientContext,
  enc: EncounterContext,
  memory: CareMemory,
  state: ClinicalState,
  at: number,
): void {
  panel(ctx, enc, memory, LAB_PANELS.cbc, state, at + 30 * MINUTE);
  panel(
    ctx,
    enc,
    memory,
    enc.setting === 'inpatient' ? LAB_PANELS.cmp : LAB_PANELS.bmp,
    state,
    at + 30 * MINUTE,
  );
}

/** Vaccine doses due by the schedule; doses due before the exported window count as given. */
export function immunizationsDue(
  ctx: PatientContext,
  enc: EncounterContext,
  memory: CareMemory,
  at: number,
  windowStart: number,
): void {
  const { person } = ctx;
  const ageMonths = ageAt(person.birth, at) * 12;
  const startMonths = ageAt(person.birth, windowStart) * 12;
  for (const [key, vaccine] of Object.entries(VACCINES) as [string, Vaccine][]) {
    if (vaccine.sex && vaccine.sex !== person.sex) continue;
    const schedule = [...vaccine.doseAgesMonths];
    if (vaccine.repeatEveryMonths) {
      const last = schedule[schedule.length - 1]!;
      for (let m = last + vaccine.repeatEveryMonths; m <= ageMonths; m += vaccine.repeatEveryMonths)
        schedule.push(m);
    }
    if (!memory.dosesGiven.has(key))
      memory.dosesGiven.set(key, schedule.filter((m) => m < startMonths - 1).length);
    const given = memory.dosesGiven.get(key)!;
    const next = schedule[given];
    if (next === undefined || ageMonths < next - 0.5) continue;
    writeImmunization(ctx, enc, vaccine, at + 25 * MINUTE);
    memory.dosesGiven.set(key, given + 1);
  }
  // One influenza dose per season (August–July) from six months of age.
  const d = new Date(at);
  const season = d.getUTCMonth() >= 7 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
  if (ageMonths >= 6 && memory.lastFluSeason !== season) {
    writeImmunization(ctx, enc, INFLUENZA, at + 25 * MINUTE);
    memory.lastFluSeason = season;
  }
}

/** A COVID-19 dose at a vaccination visit. */
export function covidDose(ctx: PatientContext, enc: EncounterContext, at: number): void {
  writeImmunization(
    ctx,
    enc,
    { code: COVID19.code, doseAgesMonths: [], cost: COVID19.cost },
    at + 5 * MINUTE,
  );
}

/** Screenings due at a check-up (depression, colonoscopy, mammography, bone density). */
export function screeningsDue(
  ctx: PatientContext,
  enc: EncounterContext,
  memory: CareMemory,
  at: number,
): void {
  const age = ageAt(ctx.person.birth, at);
  for (const s of SCREENINGS) {
    if (age < s.fromAge || (s.sex && s.sex !== ctx.person.sex) || !due(memory, s.procedure, at, s.everyYears))
      continue;
    writeProcedure(ctx, enc, PROCEDURES[s.procedure], at + 15 * MINUTE);
    memory.lastDone.set(s.procedure, at);
  }
}

/** The measurements of an office visit (vitals, smoking status at check-ups). */
export function officeMeasurements(
  ctx: PatientContext,
  enc: EncounterContext,
  state: ClinicalState,
  at: number,
  options: { checkUp: boolean; pain: number },
): void {
  const age = ageAt(ctx.person.birth, at);
  writeVitals(ctx, enc, state, at + 5 * MINUTE, {
    body: options.checkUp || age < 18 || state.conditions.size > 0,
    acute: state.febrile,
    pain: options.pain,
  });
  if (options.checkUp && age >= 13) writeSmokingStatus(ctx, enc, at + 5 * MINUTE);
}

/** Vital signs on each day of a hospital stay (every eight hours for the first day). */
export function inpatientVitals(
  ctx: PatientContext,
  enc: EncounterContext,
  state: (at: number) => ClinicalState,
  start: number,
  end: number,
): void {
  const times = [start + HOUR, start + 9 * HOUR, start + 17 * HOUR];
  for (let t = start + DAY + 8 * HOUR; t < end; t += DAY) times.push(t);
  times.forEach((t, i) => {
    if (t >= end) return;
    writeVitals(ctx, enc, state(t), t, { body: i === 0, acute: true, pain: Math.max(0, 7 - i) });
  });
}

export type { Ref };
