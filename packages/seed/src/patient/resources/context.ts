import type { Ref, TransactionBuilder } from '../../bundle/transaction.js';
import type { Code } from '../../codes/systems.js';
import type { Random } from '../../random/random.js';
import type { Facility, StaffMember } from '../../shared/directory.js';
import type { Person } from '../person.js';

/** What every resource writer of one patient needs. */
export interface PatientContext {
  readonly person: Person;
  readonly random: Random;
  readonly builder: TransactionBuilder;
  readonly patient: Ref;
  readonly coverage: Ref;
}

/** A billable line collected while writing an encounter (claims are written last). */
export interface ChargeLine {
  readonly code: Code;
  readonly cost: number;
  /** Immunization, Procedure… the line is for (Claim.item has no reference; kept for sequencing). */
  readonly kind: 'encounter' | 'procedure' | 'immunization' | 'lab';
}

/** The encounter being written: resources made during it point at it and add charges. */
export interface EncounterContext {
  readonly ref: Ref;
  readonly start: number;
  readonly end: number;
  readonly setting: 'ambulatory' | 'emergency' | 'inpatient';
  readonly practitioner: StaffMember;
  readonly facility: Facility;
  readonly charges: ChargeLine[];
  /** Conditions the encounter is about (claim diagnoses). */
  readonly diagnoses: Ref[];
}

/** A UCUM quantity. */
export function quantity(value: number, unit: string) {
  return { value, unit, system: 'http://unitsofmeasure.org', code: unit };
}
