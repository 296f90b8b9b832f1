import type { Bundle } from '@hospitium/fhir';
import { type Ref, TransactionBuilder } from '../bundle/transaction.js';
import {
  ACUTE_CONDITIONS,
  CHRONIC_CONDITIONS,
  type ChronicKey,
  HISTORY_OF_APPENDECTOMY,
  OBESITY,
} from '../codes/conditions.js';
import { ENCOUNTER_TYPES } from '../codes/encounters.js';
import { MEDICATIONS, type MedicationKey } from '../codes/medications.js';
import { ALLERGIES, ALLERGY_PREVALENCE, PROCEDURES } from '../codes/procedures.js';
import type { Code } from '../codes/systems.js';
import { Random } from '../random/random.js';
import { type Directory, type Facility, hospitalStaff, type StaffMember } from '../shared/directory.js';
import { type ChronicEpisode, type History, type PlannedEncounter, planHistory } from './history.js';
import { drawPerson, type Person } from './person.js';
import { type ClinicalState, hba1c, isObese } from './physiology.js';
import { writeEncounterClaim, writePharmacyClaim } from './resources/billing.js';
import {
  writeAllergy,
  writeCondition,
  writeMedicationRequest,
  writeProcedure,
} from './resources/clinical.js';
import type { EncounterContext, PatientContext } from './resources/context.js';
import { writeEncounter } from './resources/encounter.js';
import { coverageResource, patientResource } from './resources/patient.js';
import { ageAt, DAY, MINUTE } from './time.js';
import {
  acuteLabs,
  type CareMemory,
  covidDose,
  immunizationsDue,
  inpatientVitals,
  newCareMemory,
  officeLabs,
  officeMeasurements,
  screeningsDue,
} from './visit.js';

/** Where a planned encounter happens and who sees the patient. */
function careSetting(
  random: Random,
  directory: Directory,
  person: Person,
  planned: PlannedEncounter,
): { facility: Facility; practitioner: StaffMember; unit?: { key: string; name: string } } {
  const age = ageAt(person.birth, planned.start);
  const unit = (key: string) => directory.hospital.units.find((u) => u.key === key);
  if (planned.kind === 'emergency') {
    return {
      facility: directory.hospital,
      practitioner: random.pick(hospitalStaff(directory, 'emergencyMedicine')),
      unit: unit('emergency'),
    };
  }
  if (planned.kind === 'inpatient') {
    const surgical = planned.acute?.key === 'appendicitis';
    const staff = hospitalStaff(directory, surgical ? 'generalSurgery' : 'hospitalist');
    return {
      facility: directory.hospital,
      practitioner: random.pick(staff),
      unit: unit(age < 18 ? 'pediatrics' : 'medSurg'),
    };
  }
  if (planned.kind === 'immunization') {
    const nurses = person.clinic.staff.filter((s) => !s.doctor);
    return { facility: person.clinic, practitioner: nurses.length > 0 ? random.pick(nurses) : person.pcp };
  }
  return { facility: person.clinic, practitioner: age < 18 ? person.pediatrician : person.pcp };
}

/** Drugs started when a chronic condition is diagnosed (or first seen in the window). */
function initialMedications(random: Random, key: ChronicKey): MedicationKey[] {
  const list = CHRONIC_CONDITIONS[key].medications;
  if (list.length === 0) return [];
  if (key === 'coronaryHeartDisease') return random.chance(0.3) ? [...list] : list.slice(0, 2);
  if (key === 'atrialFibrillation' || key === 'asthma' || key === 'copd')
    return random.chance(0.6) ? [...list] : list.slice(0, 1);
  return list.slice(0, 1);
}

/** Writes one patient's record as a transaction Bundle. */
class RecordWriter {
  private readonly memory: CareMemory = newCareMemory();
  private readonly conditionRefs = new Map<ChronicEpisode, Ref>();
  private readonly medications = new Map<MedicationKey, ChronicKey>();
  private readonly started = new Set<ChronicEpisode>();
  private obesityRecorded = false;
  private allergiesRecorded = false;

  constructor(
    private readonly ctx: PatientContext,
    private readonly directory: Directory,
    private readonly history: History,
  ) {}

  /** The patient's state at `at`; `medications` defaults to what they take now. */
  private stateAt(
    at: number,
    acute?: PlannedEncounter['acute'],
    medications: ReadonlySet<MedicationKey> = new Set(this.medications.keys()),
  ): ClinicalState {
    const conditions = new Map<ChronicKey, number>();
    for (const e of this.history.chronic)
      if (e.onset <= at && (e.end === undefined || e.end > at)) conditions.set(e.key, e.onset);
    const condition = acute ? ACUTE_CONDITIONS[acute.key] : undefined;
    return {
      conditions,
      medications,
      febrile: condition?.febrile === true && acute!.resolved > at,
      pneumonia: acute?.key === 'pneumonia',
    };
  }

  /** A long-term drug: active until the record ends, stopped if its condition ends or the patient died. */
  private prescribe(enc: EncounterContext, key: MedicationKey, episode: ChronicEpisode, at: number): void {
    const medication = MEDICATIONS[key];
    const stopped = episode.end !== undefined || this.ctx.person.death !== undefined;
    const ref = writeMedicationRequest(this.ctx, enc, medication, {
      status: stopped ? 'stopped' : 'active',
      reason: this.conditionRefs.get(episode),
      at,
    });
    writePharmacyClaim(this.ctx, enc, medication, ref, at);
    this.medications.set(key, episode.key);
  }

  private updateChronic(enc: EncounterContext, planned: PlannedEncounter, at: number): void {
    for (const episode of this.history.chronic) {
      if (episode.onset > at) continue;
      const ended = episode.end !== undefined && episode.end <= at;
      if (!this.conditionRefs.has(episode)) {
        const diagnosedHere =
          planned.diagnoses.includes(episode.key) && episode.onset >= this.history.windowStart;
        this.conditionRefs.set(
          episode,
          writeCondition(this.ctx, CHRONIC_CONDITIONS[episode.key].code, {
            onset: episode.onset,
            abatement:
              episode.end !== undefined && episode.end < this.history.windowEnd ? episode.end : undefined,
            encounter: diagnosedHere || episode.onset >= this.history.windowStart ? enc : undefined,
            chronic: true,
          }),
        );
        if (diagnosedHere) enc.diagnoses.push(this.conditionRefs.get(episode)!);
      }
      if (ended) {
        for (const [med, owner] of this.medications) if (owner === episode.key) this.medications.delete(med);
        continue;
      }
      if (!this.started.has(episode)) {
        this.started.add(episode);
        for (const med of initialMedications(this.ctx.random, episode.key)) {
          if (!this.medications.has(med)) this.prescribe(enc, med, episode, at + 20 * MINUTE);
        }
      }
    }
  }

  /** Escalates treatment when follow-up shows it is not working (blood pressure, HbA1c). */
  private escalate(enc: EncounterContext, at: number): void {
    const state = this.stateAt(at);
    const episodeOf = (key: ChronicKey) =>
      this.history.chronic.find((e) => e.key === key && e.onset <= at && (e.end === undefined || e.end > at));
    const hypertension = episodeOf('hypertension');
    if (hypertension && this.ctx.random.chance(0.35)) {
      const next = (['lisinopril', 'amlodipine'] as const).find((m) => !this.medications.has(m));
      if (next) this.prescribe(enc, next, hypertension, at + 20 * MINUTE);
    }
    const diabetes = episodeOf('diabetes');
    if (diabetes && !this.medications.has('insulin') && hba1c(this.ctx.person, at, state) > 8.5) {
      this.prescribe(enc, 'insulin', diabetes, at + 20 * MINUTE);
    }
  }

  private acuteCare(enc: EncounterContext, planned: PlannedEncounter, at: number): Code[] {
    const acute = planned.acute;
    if (!acute) return [];
    const condition = ACUTE_CONDITIONS[acute.key];
    const resolved = acute.resolved < this.history.windowEnd ? acute.resolved : undefined;
    const ref = writeCondition(this.ctx, condition.code, {
      onset: acute.onset,
      abatement: resolved,
      encounter: enc,
      chronic: false,
    });
    enc.diagnoses.push(ref);
    for (const key of condition.procedures)
      writeProcedure(this.ctx, enc, PROCEDURES[key], at + 30 * MINUTE, ref);
    if (condition.medications.length > 0) {
      let key = this.ctx.random.pick(condition.medications);
      const pediatric = MEDICATIONS[key].pediatric as MedicationKey | undefined;
      if (pediatric && ageAt(this.ctx.person.birth, at) < 12) key = pediatric;
      const medication = MEDICATIONS[key];
      const courseEnd = at + (medication.courseDays ?? 10) * DAY;
      const rx = writeMedicationRequest(this.ctx, enc, medication, {
        status: courseEnd < this.history.windowEnd ? 'completed' : 'active',
        reason: ref,
        at: enc.end - 5 * MINUTE,
      });
      writePharmacyClaim(this.ctx, enc, medication, rx, enc.end - 5 * MINUTE);
    }
    if (acute.key === 'appendicitis') {
      writeCondition(this.ctx, HISTORY_OF_APPENDECTOMY, { onset: enc.end, encounter: enc, chronic: true });
    }
    return [condition.code];
  }

  visit(planned: PlannedEncounter): void {
    const { ctx } = this;
    const setting = careSetting(ctx.random, this.directory, ctx.person, planned);
    const reasons: Code[] = planned.acute
      ? [ACUTE_CONDITIONS[planned.acute.key].code]
      : planned.diagnoses.map((k) => CHRONIC_CONDITIONS[k].code);
    const ref = writeEncounter(ctx, {
      kind: planned.kind,
      start: planned.start,
      end: planned.end,
      reasons,
      ...setting,
    });
    const type = ENCOUNTER_TYPES[planned.kind];
    const enc: EncounterContext = {
      ref,
      start: planned.start,
      end: planned.end,
      setting:
        planned.kind === 'emergency'
          ? 'emergency'
          : planned.kind === 'inpatient'
            ? 'inpatient'
            : 'ambulatory',
      practitioner: setting.practitioner,
      facility: setting.facility,
      charges: [
        {
          code: type.type,
          cost: type.cost * (planned.kind === 'inpatient' ? (planned.end - planned.start) / DAY / 3 : 1),
          kind: 'encounter',
        },
      ],
      diagnoses: [],
    };
    const at = planned.start;
    // Measurements at this visit reflect the treatment taken so far, not what is started today.
    const takenBefore = new Set(this.medications.keys());
    this.updateChronic(enc, planned, at);
    if (!this.allergiesRecorded) this.recordAllergies(enc);
    this.acuteCare(enc, planned, at);
    const state = this.stateAt(at, planned.acute, takenBefore);
    const checkUp = planned.kind === 'wellChild' || planned.kind === 'checkUp';
    if (planned.kind === 'immunization') covidDose(ctx, enc, at);
    else if (enc.setting === 'inpatient') {
      inpatientVitals(ctx, enc, (t) => this.stateAt(t, planned.acute), planned.start, planned.end);
      acuteLabs(ctx, enc, this.memory, state, at);
    } else {
      const pain = planned.acute ? ctx.random.int(2, 8) : ctx.random.int(0, 2);
      officeMeasurements(ctx, enc, state, at, { checkUp: checkUp || enc.setting === 'emergency', pain });
      if (enc.setting === 'emergency') {
        if (planned.acute && ACUTE_CONDITIONS[planned.acute.key].febrile)
          acuteLabs(ctx, enc, this.memory, state, at);
      } else officeLabs(ctx, enc, this.memory, state, at, checkUp);
    }
    if (checkUp) {
      immunizationsDue(ctx, enc, this.memory, at, this.history.windowStart);
      screeningsDue(ctx, enc, this.memory, at);
      this.recordObesity(enc, at);
    }
    if (planned.kind === 'followUp') this.escalate(enc, at);
    if (checkUp && this.medications.size > 0) {
      writeProcedure(ctx, enc, PROCEDURES.medicationReconciliation, at + 10 * MINUTE);
    }
    writeEncounterClaim(ctx, enc);
  }

  /** Conditions that began after the last visit are still on the problem list. */
  finish(): void {
    for (const episode of this.history.chronic) {
      if (this.conditionRefs.has(episode) || episode.onset >= this.history.windowEnd) continue;
      this.conditionRefs.set(
        episode,
        writeCondition(this.ctx, CHRONIC_CONDITIONS[episode.key].code, {
          onset: episode.onset,
          abatement:
            episode.end !== undefined && episode.end < this.history.windowEnd ? episode.end : undefined,
          chronic: true,
        }),
      );
    }
  }

  private recordObesity(enc: EncounterContext, at: number): void {
    if (this.obesityRecorded || !isObese(this.ctx.person, at)) return;
    this.obesityRecorded = true;
    enc.diagnoses.push(writeCondition(this.ctx, OBESITY, { onset: at, encounter: enc, chronic: true }));
  }

  private recordAllergies(enc: EncounterContext): void {
    this.allergiesRecorded = true;
    const { random } = this.ctx;
    if (!random.chance(ALLERGY_PREVALENCE)) return;
    const count = random.weighted([
      [1, 45],
      [2, 25],
      [3, 18],
      [4, 12],
    ] as const);
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const allergy = random.weighted(ALLERGIES);
      if (seen.has(allergy.code.code)) continue;
      seen.add(allergy.code.code);
      writeAllergy(this.ctx, enc, allergy);
    }
  }
}

/**
 * Generates patient `index` of a population: its own random stream (seeded from the population
 * seed and the index), so any patient can be generated alone and in any order.
 */
export function generatePatientBundle(
  directory: Directory,
  seed: string,
  index: number,
  asOf: number,
  mrnPrefix: string,
): Bundle {
  const random = new Random(`${seed}/patient/${index}`);
  const person = drawPerson(random, directory, index, asOf, mrnPrefix);
  const history = planHistory(random, person, asOf);
  const builder = new TransactionBuilder(random);
  const patient = builder.post(patientResource(person, asOf), `${person.given[0]} ${person.family}`);
  const coverage = builder.post(coverageResource(person, patient, history.windowStart));
  const writer = new RecordWriter({ person, random, builder, patient, coverage }, directory, history);
  for (const planned of history.encounters) writer.visit(planned);
  writer.finish();
  return builder.build();
}
