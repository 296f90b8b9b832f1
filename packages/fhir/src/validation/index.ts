// PLACEHOLDER: replaced by the validator work (validate against R4 StructureDefinitions).
import type { OperationOutcomeIssue } from '../outcome/outcome.js';

/** Validates a resource against the R4 definitions; returns the issues (empty = valid). */
export function validateResource(_value: unknown, _expectedType?: string): OperationOutcomeIssue[] {
  return [];
}

/** True for every R4 resource type name (Patient, Observation, …). */
export function isResourceType(_name: string): boolean {
  return true;
}
