import {
  ACUTE_CONDITIONS,
  type AcuteKey,
  CHRONIC_CONDITIONS,
  type ChronicKey,
  type Incidence,
  type RiskFactor,
} from '../codes/conditions.js';
import {
  ADULT_CHECKUP_YEARS,
  type EncounterKind,
  INPATIENT_DAYS,
  WELL_CHILD_MONTHS,
  YEARS_OF_HISTORY,
} from '../codes/encounters.js';
import { COVID19 } from '../codes/immunizations.js';
import type { Random } from '../random/random.js';
import type { Person } from './person.js';
import { isObese } from './physiology.js';
import { ageAt, atClinicHour, DAY, MINUTE, onWeekday, parseDate, YEAR } from './time.js';

/** One chronic condition over the patient's life. */
export interface ChronicEpisode {
  readonly key: ChronicKey;
  readonly onset: number;
  /** When it resolved or was superseded (prediabetes → diabetes); undefined while active. */
  readonly end?: number;
  readonly superseded?: boolean;
}

/** An illness or injury that brings the patient in. */
export interface AcuteEpisode {
  readonly key: AcuteKey;
  readonly onset: number;
  readonly resolved: number;
}

/** A visit the record will contain, with why it happened. */
export interface PlannedEncounter {
  readonly kind: EncounterKind;
  readonly start: number;
  readonly end: number;
  /** Chronic conditions first diagnosed at this visit. */
  readonly diagnoses: ChronicKey[];
  readonly acute?: AcuteEpisode;
}

/** The patient's life as the record sees it: conditions and the visits in the exported window. */
export interface History {
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly chronic: readonly ChronicEpisode[];
  readonly encounters: readonly PlannedEncounter[];
}

function yearlyChance(incidence: Incidence, age: number): number {
  for (const [from, to, chance] of incidence) if (age >= from && age <= to) return chance;
  return 0;
}

function riskFactors(person: Person, ms: number, active: ReadonlyMap<ChronicKey, number>): Set<RiskFactor> {
  const factors = new Set<RiskFactor>([person.sex]);
  const age = ageAt(person.birth, ms);
  if (person.smoking.status !== 'never' && age >= person.smoking.startAge) factors.add('smoker');
  if (isObese(person, ms)) factors.add('obese');
  if (active.has('hypertension')) factors.add('hypertension');
  if (active.has('diabetes')) factors.add('diabetes');
  return factors;
}

function multiplier(risk: Partial<Record<RiskFactor, number>> | undefined, factors: Set<RiskFactor>): number {
  let m = 1;
  if (risk)
    for (const [factor, x] of Object.entries(risk) as [RiskFactor, number][]) if (factors.has(factor)) m *= x;
  return m;
}

/** Simulates chronic disease year by year from birth to the end of the record. */
function simulateChronic(random: Random, person: Person, end: number): ChronicEpisode[] {
  const episodes: ChronicEpisode[] = [];
  const active = new Map<ChronicKey, number>();
  const keys = Object.keys(CHRONIC_CONDITIONS) as ChronicKey[];
  for (let year = person.birth; year < end; year += YEAR) {
    const age = ageAt(person.birth, year);
    const factors = riskFactors(person, year, active);
    for (const key of keys) {
      const condition = CHRONIC_CONDITIONS[key];
      const onset = active.get(key);
      if (onset !== undefined) {
        const remission = condition.remission ?? 0;
        if (remission && random.chance(remission)) {
          active.delete(key);
          episodes.push({ key, onset, end: Math.min(end - DAY, year + random.between(0, YEAR)) });
        }
        continue;
      }
      if (condition.requires && !active.has(condition.requires as ChronicKey)) continue;
      const chance = yearlyChance(condition.incidence, age) * multiplier(condition.risk, factors);
      if (!random.chance(chance)) continue;
      const at = Math.min(end - DAY, year + random.between(0, YEAR));
      if (condition.supersedes) {
        const old = condition.supersedes as ChronicKey;
        const oldOnset = active.get(old);
        if (oldOnset !== undefined) {
          active.delete(old);
          episodes.push({ key: old, onset: oldOnset, end: at, superseded: true });
        }
      }
      active.set(key, at);
    }
  }
  for (const [key, onset] of active) episodes.push({ key, onset });
  return episodes.sort((a, b) => a.onset - b.onset || a.key.localeCompare(b.key));
}

function clinicVisit(random: Random, ms: number, minutes: readonly [number, number]): [number, number] {
  const start = atClinicHour(onWeekday(ms), random.int(32, 66) * 15);
  return [start, start + random.int(minutes[0], minutes[1]) * MINUTE];
}

/** Ages (years) of scheduled check-ups from birth to `maxAge`. */
function checkupAges(maxAge: number): number[] {
  const ages: number[] = WELL_CHILD_MONTHS.map((m) => m / 12);
  for (let age = 3; age <= maxAge; ) {
    ages.push(age);
    age += ADULT_CHECKUP_YEARS.find(([upTo]) => age <= upTo)![1];
  }
  return ages;
}

/**
 * Plans the record: chronic conditions over the whole life, and within the exported window
 * (the last ten years, or since birth) check-ups, diagnosis visits, follow-ups for chronic
 * disease, and visits for acute illness and injury (office, emergency department or admission).
 */
export function planHistory(random: Random, person: Person, asOf: number): History {
  const windowEnd = person.death ?? asOf;
  const windowStart = Math.max(person.birth, asOf - YEARS_OF_HISTORY * YEAR);
  const chronic = simulateChronic(random, person, windowEnd);
  const encounters: PlannedEncounter[] = [];
  const inWindow = (ms: number) => ms >= windowStart && ms < windowEnd;

  for (const age of checkupAges(ageAt(person.birth, windowEnd))) {
    const due = person.birth + age * YEAR + (age === 0 ? 2 * DAY : random.between(-10, 20) * DAY);
    if (!inWindow(due)) continue;
    const kind = age < 18 ? 'wellChild' : 'checkUp';
    const [start, end] = clinicVisit(random, due, [20, 45]);
    if (end < windowEnd) encounters.push({ kind, start, end, diagnoses: [] });
  }

  for (const episode of chronic) {
    if (!inWindow(episode.onset)) continue;
    const [start, end] = clinicVisit(random, episode.onset, [15, 30]);
    if (end < windowEnd) encounters.push({ kind: 'symptom', start, end, diagnoses: [episode.key] });
    const months = CHRONIC_CONDITIONS[episode.key].followUpMonths;
    if (months === 0) continue;
    const until = Math.min(episode.end ?? windowEnd, windowEnd);
    for (let t = episode.onset + months * 30.4 * DAY; t < until; t += months * 30.4 * DAY) {
      if (!inWindow(t)) continue;
      const [s, e] = clinicVisit(random, t + random.between(-7, 7) * DAY, [15, 30]);
      if (e < windowEnd) encounters.push({ kind: 'followUp', start: s, end: e, diagnoses: [] });
    }
  }

  const acuteKeys = Object.keys(ACUTE_CONDITIONS) as AcuteKey[];
  for (let year = windowStart; year < windowEnd; year += YEAR) {
    const age = ageAt(person.birth, year);
    const factors = riskFactors(person, year, new Map());
    for (const key of acuteKeys) {
      const condition = ACUTE_CONDITIONS[key];
      const chance = yearlyChance(condition.incidence, age) * multiplier(condition.risk, factors);
      if (!random.chance(chance)) continue;
      const onset = year + random.between(0, YEAR);
      if (!inWindow(onset)) continue;
      let start: number;
      let end: number;
      if (condition.setting === 'ambulatory') [start, end] = clinicVisit(random, onset + DAY, [15, 30]);
      else {
        start = onset + random.int(0, 23 * 60) * MINUTE;
        end =
          condition.setting === 'emergency'
            ? start + random.int(90, 360) * MINUTE
            : start + random.between(INPATIENT_DAYS[0], INPATIENT_DAYS[1] + 1) * DAY;
      }
      if (end >= windowEnd) continue;
      const resolved = onset + random.between(condition.days[0], condition.days[1]) * DAY;
      encounters.push({
        kind:
          condition.setting === 'ambulatory'
            ? 'symptom'
            : condition.setting === 'emergency'
              ? 'emergency'
              : 'inpatient',
        start,
        end,
        diagnoses: [],
        acute: { key, onset, resolved },
      });
    }
  }
  planCovidVaccination(random, person, encounters, inWindow, windowEnd);
  encounters.sort((a, b) => a.start - b.start || a.kind.localeCompare(b.kind));
  return { windowStart, windowEnd, chronic, encounters };
}

/** Share of eligible people who took the COVID-19 primary series in 2021. */
const COVID_UPTAKE = 0.8;

/** Two vaccination visits in spring 2021 for most people old enough (a mass campaign, not check-ups). */
function planCovidVaccination(
  random: Random,
  person: Person,
  encounters: PlannedEncounter[],
  inWindow: (ms: number) => boolean,
  windowEnd: number,
): void {
  const from = parseDate(COVID19.firstDose);
  const to = parseDate(COVID19.lastFirstDose);
  const first = from + random.between(0, (to - from) / DAY) * DAY;
  if (ageAt(person.birth, first) < COVID19.minAgeYears || !random.chance(COVID_UPTAKE)) return;
  for (const day of [first, first + COVID19.intervalDays * DAY]) {
    if (!inWindow(day)) continue;
    const [start, end] = clinicVisit(random, day, [10, 20]);
    if (end < windowEnd) encounters.push({ kind: 'immunization', start, end, diagnoses: [] });
  }
}
