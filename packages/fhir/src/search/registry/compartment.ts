import { readDefinitionFile } from '../../definitions/load.js';

interface RawCompartmentDefinition {
  resource?: { code: string; param?: string[] }[];
}

let patientParams: Map<string, readonly string[]> | undefined;

function build(): Map<string, readonly string[]> {
  const def = readDefinitionFile<RawCompartmentDefinition>('compartmentdefinition-patient.json');
  const out = new Map<string, readonly string[]>();
  for (const r of def.resource ?? []) out.set(r.code, Object.freeze([...(r.param ?? [])]));
  return out;
}

/**
 * Search-parameter codes by which a resource type belongs to the Patient compartment
 * (compartmentdefinition-patient.json), e.g. Observation → ['subject', 'performer'];
 * Patient → ['link'] (a Patient is also in its own compartment by id). Empty when the type
 * is never in a patient's compartment (Organization) or unknown.
 */
export function patientCompartmentParams(resourceType: string): string[] {
  patientParams ??= build();
  return [...(patientParams.get(resourceType) ?? [])];
}
