import { conditionalReference, type Ref } from '../bundle/transaction.js';
import { SYSTEMS } from '../codes/systems.js';
import type { Facility, Payer, StaffMember } from './directory.js';

/*
 * How patient bundles point at the shared resources: conditional references on identifiers
 * (`Practitioner?identifier=…us-npi|999…`), the form Synthea uses, so a patient bundle imports
 * into any database that already holds the shared bundle, in any order and concurrently.
 */

export function practitionerRef(member: StaffMember): Ref {
  return conditionalReference('Practitioner', SYSTEMS.npi, member.npi, member.display);
}

export function organizationIdentifier(facility: Facility): string {
  return facility.key;
}

export function organizationRef(facility: Facility): Ref {
  return conditionalReference(
    'Organization',
    SYSTEMS.organizationId,
    organizationIdentifier(facility),
    facility.name,
  );
}

/** Identifier value of a facility's Location (the clinic, or a hospital unit). */
export function locationIdentifier(facility: Facility, unit?: string): string {
  return unit ? `${facility.key}-${unit}` : facility.key;
}

export function locationRef(facility: Facility, unit?: { key: string; name: string }): Ref {
  return conditionalReference(
    'Location',
    SYSTEMS.locationId,
    locationIdentifier(facility, unit?.key),
    unit ? `${facility.name}, ${unit.name}` : facility.name,
  );
}

export function payerIdentifier(payer: Payer): string {
  return `payer-${payer.key}`;
}

export function payerRef(payer: Payer): Ref {
  return conditionalReference('Organization', SYSTEMS.organizationId, payerIdentifier(payer), payer.name);
}
