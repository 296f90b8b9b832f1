import { extractIndexes, patientCompartmentParams, type Resource } from '@hospitium/fhir';

/**
 * The ids of the patients a resource belongs to: a Patient itself, or the Patients its
 * compartment parameters point at (the R4 Patient CompartmentDefinition: Observation by
 * `subject` and `performer`, Encounter by `patient`, …), read from the same reference index rows
 * the store writes. Empty for resources outside every patient's compartment (Organization).
 */
export function patientsOf(resource: Resource): string[] {
  const out = new Set<string>();
  if (resource.resourceType === 'Patient' && typeof resource.id === 'string') out.add(resource.id);
  const params = patientCompartmentParams(resource.resourceType);
  if (params.length === 0) return [...out];
  for (const row of extractIndexes(resource).reference) {
    if (row.targetType === 'Patient' && row.targetId && params.includes(row.param)) out.add(row.targetId);
  }
  return [...out];
}
