import type { Ref } from '../../bundle/transaction.js';
import type { Vaccine } from '../../codes/immunizations.js';
import type { Medication } from '../../codes/medications.js';
import type { AllergyType, ProcedureType } from '../../codes/procedures.js';
import { type Code, concept, SYSTEMS } from '../../codes/systems.js';
import { practitionerRef } from '../../shared/references.js';
import { DAY, date, dateTime, MINUTE } from '../time.js';
import { type EncounterContext, type PatientContext, quantity } from './context.js';

const statusOf = (system: string, code: string) => ({ coding: [{ system, code }] });

/** A condition: `encounter-diagnosis` for short illnesses, `problem-list-item` for chronic ones. */
export function writeCondition(
  ctx: PatientContext,
  code: Code,
  options: { onset: number; abatement?: number; encounter?: EncounterContext; chronic: boolean },
): Ref {
  const { onset, abatement, encounter, chronic } = options;
  return ctx.builder.post(
    {
      resourceType: 'Condition',
      clinicalStatus: statusOf(SYSTEMS.conditionClinical, abatement === undefined ? 'active' : 'resolved'),
      verificationStatus: statusOf(SYSTEMS.conditionVerification, 'confirmed'),
      category: [
        {
          coding: [
            chronic
              ? { system: SYSTEMS.conditionCategory, code: 'problem-list-item', display: 'Problem List Item' }
              : {
                  system: SYSTEMS.conditionCategory,
                  code: 'encounter-diagnosis',
                  display: 'Encounter Diagnosis',
                },
          ],
        },
      ],
      code: concept(code),
      subject: ctx.patient,
      ...(encounter ? { encounter: encounter.ref } : {}),
      onsetDateTime: dateTime(onset),
      ...(abatement !== undefined ? { abatementDateTime: dateTime(abatement) } : {}),
      recordedDate: dateTime(encounter ? encounter.start : onset),
      ...(encounter ? { recorder: practitionerRef(encounter.practitioner) } : {}),
    },
    code.display,
  );
}

/** A prescription. `stopped` closes long-term drugs; short courses are `completed` after their days. */
export function writeMedicationRequest(
  ctx: PatientContext,
  enc: EncounterContext,
  medication: Medication,
  options: { status: 'active' | 'completed' | 'stopped'; reason?: Ref; at: number },
): Ref {
  const supplyDays = medication.courseDays ?? 30;
  return ctx.builder.post(
    {
      resourceType: 'MedicationRequest',
      status: options.status,
      intent: 'order',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
              code: enc.setting === 'inpatient' ? 'inpatient' : 'outpatient',
              display: enc.setting === 'inpatient' ? 'Inpatient' : 'Outpatient',
            },
          ],
        },
      ],
      medicationCodeableConcept: concept(medication.code),
      subject: ctx.patient,
      encounter: enc.ref,
      authoredOn: dateTime(options.at),
      requester: practitionerRef(enc.practitioner),
      ...(options.reason ? { reasonReference: [options.reason] } : {}),
      dosageInstruction: [
        {
          sequence: 1,
          text: medication.sig,
          ...(medication.perDay > 0
            ? { timing: { repeat: { frequency: medication.perDay, period: 1, periodUnit: 'd' } } }
            : {}),
          asNeededBoolean: medication.asNeeded === true,
          doseAndRate: [{ doseQuantity: { value: 1 } }],
        },
      ],
      dispenseRequest: {
        validityPeriod: {
          start: date(options.at),
          end: date(options.at + (medication.courseDays ? 30 : 365) * DAY),
        },
        numberOfRepeatsAllowed: medication.courseDays ? 0 : 11,
        expectedSupplyDuration: {
          value: supplyDays,
          unit: 'days',
          system: 'http://unitsofmeasure.org',
          code: 'd',
        },
      },
    },
    medication.code.display,
  );
}

/** A vaccine dose given at a visit. */
export function writeImmunization(
  ctx: PatientContext,
  enc: EncounterContext,
  vaccine: Vaccine,
  at: number,
): void {
  ctx.builder.post({
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: concept(vaccine.code),
    patient: ctx.patient,
    encounter: enc.ref,
    occurrenceDateTime: dateTime(at),
    primarySource: true,
    lotNumber: `${vaccine.code.code.padStart(3, '0')}${ctx.random.digits(5)}`,
    performer: [{ actor: practitionerRef(enc.practitioner) }],
  });
  enc.charges.push({ code: vaccine.code, cost: vaccine.cost, kind: 'immunization' });
}

/** A procedure performed during the visit. */
export function writeProcedure(
  ctx: PatientContext,
  enc: EncounterContext,
  procedure: ProcedureType,
  at: number,
  reason?: Ref,
): void {
  ctx.builder.post({
    resourceType: 'Procedure',
    status: 'completed',
    code: concept(procedure.code),
    subject: ctx.patient,
    encounter: enc.ref,
    performedPeriod: { start: dateTime(at), end: dateTime(at + procedure.minutes * MINUTE) },
    performer: [{ actor: practitionerRef(enc.practitioner) }],
    ...(reason ? { reasonReference: [reason] } : {}),
  });
  enc.charges.push({ code: procedure.code, cost: procedure.cost, kind: 'procedure' });
}

/** An allergy recorded at a visit. */
export function writeAllergy(ctx: PatientContext, enc: EncounterContext, allergy: AllergyType): void {
  const severe = allergy.reaction.code === '39579001';
  ctx.builder.post({
    resourceType: 'AllergyIntolerance',
    clinicalStatus: statusOf(SYSTEMS.allergyClinical, 'active'),
    verificationStatus: statusOf(SYSTEMS.allergyVerification, 'confirmed'),
    type: 'allergy',
    category: [allergy.category],
    criticality: severe ? 'high' : 'low',
    code: concept(allergy.code),
    patient: ctx.patient,
    encounter: enc.ref,
    recordedDate: dateTime(enc.start),
    recorder: practitionerRef(enc.practitioner),
    reaction: [
      {
        manifestation: [concept(allergy.reaction)],
        severity: severe ? 'severe' : ctx.random.chance(0.5) ? 'mild' : 'moderate',
      },
    ],
  });
}

export { quantity };
