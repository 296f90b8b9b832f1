import type { BundleBuilder } from './bundle-builder.js';
import { composite, identifier } from './datatypes.js';
import { mapEncounter } from './encounter.js';
import { first, patientGroups } from './groups.js';
import { defaultSystem, mapPatient } from './patient.js';
import { mapAllergy, mapCoverage, mapRelatedPerson } from './related.js';

/** ADT trigger events the engine applies. */
export const adtEvents = [
  'A01',
  'A02',
  'A03',
  'A04',
  'A05',
  'A06',
  'A07',
  'A08',
  'A11',
  'A12',
  'A13',
  'A17',
  'A28',
  'A31',
  'A40',
] as const;

/** Events about the person only: no visit is touched even when a PV1 is present. */
const personOnly = new Set(['A28', 'A31']);

/** A merge the engine completes inside the transaction, once it knows the prior patient's id. */
export interface PatientMerge {
  survivorUrl: string;
  survivorEntry: number;
  prior: { system: string; value: string };
  source: ReturnType<BundleBuilder['at']>;
}

/**
 * ADT → Patient, Encounter (+Location), RelatedPerson (NK1), AllergyIntolerance (AL1),
 * Coverage (IN1), one group per PID (A17 swaps two). A40 returns the merges for the engine.
 */
export function mapAdt(b: BundleBuilder, event: string): PatientMerge[] {
  const groups = patientGroups(b.message);
  if (groups.length === 0) b.required({ segment: 'PID', sequence: 1 }, 'patient identification segment');
  const merges: PatientMerge[] = [];
  for (const group of groups) {
    const patient = mapPatient(b, group.pid);
    if (event === 'A40') {
      const mrg = first(group, 'MRG');
      if (!mrg) b.required({ segment: 'MRG', sequence: 1 }, 'merge segment');
      const cx = composite(mrg, 1);
      const prior = cx && identifier(cx, defaultSystem(b));
      if (!prior) b.required(b.at(mrg, 1), 'prior patient identifier list');
      b.patientIds.add(`${prior.system}|${prior.value}`);
      merges.push({
        survivorUrl: patient.fullUrl,
        survivorEntry: b.entries.findIndex((e) => e.fullUrl === patient.fullUrl),
        prior: { system: prior.system as string, value: prior.value as string },
        source: b.at(mrg, 1),
      });
      continue;
    }
    if (!personOnly.has(event)) {
      const pv1 = first(group, 'PV1');
      if (pv1) mapEncounter(b, pv1, patient, event);
      else if (event !== 'A08') b.required({ segment: 'PV1', sequence: 1 }, 'patient visit segment');
    }
    for (const seg of group.segments) {
      if (seg.name === 'NK1') mapRelatedPerson(b, seg, patient);
      else if (seg.name === 'AL1') mapAllergy(b, seg, patient);
      else if (seg.name === 'IN1') mapCoverage(b, seg, patient);
    }
  }
  return merges;
}
