import type { Resource } from '../../types.js';
import type { Evaluator } from '../expression/typed-value.js';
import { patientCompartmentParams } from '../registry/compartment.js';
import { registeredParam } from '../registry/registry.js';
import type { ReferenceIndexRow } from '../types.js';
import { referenceRows } from './reference.js';

const links = new Map<string, { code: string; evaluate: Evaluator }[]>();

/** The compiled expressions of a type's Patient-compartment parameters (built once per type). */
function compartmentLinks(resourceType: string): { code: string; evaluate: Evaluator }[] {
  let found = links.get(resourceType);
  if (found) return found;
  found = [];
  for (const code of patientCompartmentParams(resourceType)) {
    const param = registeredParam(resourceType, code);
    if (param?.def.type !== 'reference') continue;
    try {
      const evaluate = param.compiled?.evaluate;
      if (evaluate) found.push({ code, evaluate });
    } catch {
      // An expression that does not compile links nothing (the registry tests compile them all).
    }
  }
  links.set(resourceType, found);
  return found;
}

/**
 * The ids of the patients whose compartment a resource is in: a Patient itself, and the Patients
 * its compartment parameters (R4 CompartmentDefinition Patient: Observation `subject` and
 * `performer`, …) refer to — the same values the reference index holds for those parameters,
 * evaluating only those expressions. Empty for types outside every patient's compartment.
 */
export function compartmentPatients(resource: Resource): string[] {
  const out = new Set<string>();
  if (resource.resourceType === 'Patient' && typeof resource.id === 'string') out.add(resource.id);
  for (const { code, evaluate } of compartmentLinks(resource.resourceType)) {
    const rows: ReferenceIndexRow[] = [];
    try {
      evaluate(resource, (value, type) => referenceRows(code, value, type, rows));
    } catch {
      continue;
    }
    for (const row of rows) if (row.targetType === 'Patient' && row.targetId) out.add(row.targetId);
  }
  return [...out];
}
