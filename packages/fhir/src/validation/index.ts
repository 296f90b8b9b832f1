import { resourceTypeNames as definedResourceTypes, isResourceTypeName } from '../definitions/structures.js';
import { requiredValueSetCodes } from '../definitions/valuesets.js';
import type { OperationOutcomeIssue } from '../outcome/outcome.js';
import type { Issues } from './issues.js';
import { validateResourceNode } from './resource.js';

/**
 * Validates a resource against the R4 definitions; returns the issues (empty = valid).
 * Checks resourceType (and `expectedType` when given), element names, JSON shapes, primitive
 * formats, choice types, cardinality, required bindings and reference syntax, recursing into
 * contained resources, Bundle entries and Parameters. FHIRPath invariants are not evaluated.
 * The input is never modified.
 */
export function validateResource(value: unknown, expectedType?: string): OperationOutcomeIssue[] {
  const issues: Issues = [];
  validateResourceNode(value, '', issues, 0, expectedType);
  return issues;
}

/** True for every R4 resource type name (Patient, Observation, …). */
export function isResourceType(name: string): boolean {
  return isResourceTypeName(name);
}

/** All R4 resource type names, sorted (used by the CapabilityStatement). */
export function resourceTypeNames(): string[] {
  return [...definedResourceTypes()];
}

/**
 * Loads what validation needs up front (about 1 s: the R4 structure definitions and every
 * required-binding value set) so the first request does not pay for it. Afterwards nothing the
 * validator holds refers to the parsed files, so `releaseDefinitionFiles()` may drop them.
 */
export function preloadValidator(): void {
  definedResourceTypes();
  requiredValueSetCodes('http://hl7.org/fhir/ValueSet/administrative-gender');
}
