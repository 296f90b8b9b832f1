import { extractIndexes, getSearchParameter, patientCompartmentParams, type Resource } from '@hospitium/fhir';
import type { AccessRequest } from './access-request.js';

/**
 * The patients a resource belongs to: itself for a Patient, else the Patient targets of its
 * patient-compartment references (Observation `subject`, `performer`; Encounter `patient` …).
 */
export function patientsOf(resource: Resource): string[] {
  const type = resource.resourceType;
  const out = new Set<string>();
  if (type === 'Patient' && typeof resource.id === 'string') out.add(resource.id);
  const params = patientCompartmentParams(type);
  if (params.length === 0) return [...out];
  for (const row of extractIndexes(resource).reference) {
    if (row.targetType === 'Patient' && row.targetId && params.includes(row.param)) out.add(row.targetId);
  }
  return [...out];
}

/**
 * The patients a search is pinned to, or undefined when it is not: a `patient=`,
 * `subject=Patient/x`, `subject:Patient=x` (or another patient-compartment parameter of the
 * type) whose every value is a patient. Parameters AND together, so one pinning parameter bounds
 * the whole result; a comma list names each of its patients. Query and form body both count.
 */
export function patientsNamedBySearch(request: AccessRequest, body?: unknown): string[] | undefined {
  const params = new Set(patientCompartmentParams(request.resourceType));
  if (params.size === 0) return undefined;
  if (getSearchParameter(request.resourceType, 'patient')?.type === 'reference') params.add('patient');
  const entries = [...request.query.entries()];
  if (body instanceof URLSearchParams) entries.push(...body.entries());
  for (const [key, value] of entries) {
    const [code, modifier] = key.split(':');
    if (!params.has(code) || (modifier !== undefined && modifier !== 'Patient')) continue;
    const ids: string[] = [];
    for (const item of value.split(',')) {
      const ref = item.trim();
      // `subject=123` could be any target type; a bare id is a patient only for `patient=` or `:Patient`.
      if (ref.startsWith('Patient/') && !ref.slice(8).includes('/')) ids.push(ref.slice(8));
      else if (ref !== '' && !ref.includes('/') && (code === 'patient' || modifier === 'Patient'))
        ids.push(ref);
      else break;
    }
    if (ids.length === value.split(',').length) return [...new Set(ids)];
  }
  return undefined;
}
