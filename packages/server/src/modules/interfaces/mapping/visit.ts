import type { BundleBuilder } from './bundle-builder.js';
import { composite } from './datatypes.js';
import { mapEncounter } from './encounter.js';
import { first, type PatientGroup } from './groups.js';
import { type MappedPatient, mapPatient } from './patient.js';

/**
 * The patient of a message about care (document, charge, order), matched as ADT matches it, and
 * its visit when PV1-19 names one: found by visit number, created from the PV1 only when
 * unknown (an existing visit is not rewritten by a message that only mentions it).
 */
export function patientAndVisit(
  b: BundleBuilder,
  group: PatientGroup,
  event: string,
): { patient: MappedPatient; encounter?: string } {
  const patient = mapPatient(b, group.pid);
  const pv1 = first(group, 'PV1');
  const encounter =
    pv1 && composite(pv1, 19) ? mapEncounter(b, pv1, patient, event, { matchOnly: true }) : undefined;
  return { patient, encounter };
}
