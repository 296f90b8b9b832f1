import type { Ref } from '../../bundle/transaction.js';
import { ENCOUNTER_TYPES, type EncounterKind, HOSPITALIZATION } from '../../codes/encounters.js';
import { type Code, concept, SYSTEMS } from '../../codes/systems.js';
import type { Facility, StaffMember } from '../../shared/directory.js';
import { locationRef, organizationRef, practitionerRef } from '../../shared/references.js';
import { dateTime } from '../time.js';
import type { PatientContext } from './context.js';

/** Writes the Encounter: class, type, period, who saw the patient, where, and why. */
export function writeEncounter(
  ctx: PatientContext,
  options: {
    kind: EncounterKind;
    start: number;
    end: number;
    practitioner: StaffMember;
    facility: Facility;
    unit?: { key: string; name: string };
    reasons: readonly Code[];
  },
): Ref {
  const type = ENCOUNTER_TYPES[options.kind];
  const period = { start: dateTime(options.start), end: dateTime(options.end) };
  return ctx.builder.post(
    {
      resourceType: 'Encounter',
      status: 'finished',
      class: { ...type.class },
      type: [concept(type.type)],
      subject: ctx.patient,
      participant: [
        {
          type: [
            {
              coding: [
                { system: SYSTEMS.encounterParticipantType, code: 'PPRF', display: 'primary performer' },
              ],
              text: 'primary performer',
            },
          ],
          period,
          individual: practitionerRef(options.practitioner),
        },
      ],
      period,
      ...(options.reasons.length > 0 ? { reasonCode: options.reasons.map((r) => concept(r)) } : {}),
      ...(options.kind === 'inpatient'
        ? {
            hospitalization: {
              admitSource: { coding: [{ ...HOSPITALIZATION.admitSourceEmergency }] },
              dischargeDisposition: { coding: [{ ...HOSPITALIZATION.dischargeHome }] },
            },
          }
        : {}),
      location: [{ location: locationRef(options.facility, options.unit), status: 'completed', period }],
      serviceProvider: organizationRef(options.facility),
    },
    type.type.display,
  );
}
