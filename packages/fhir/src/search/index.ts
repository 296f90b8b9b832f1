import { registeredParam, registeredParams } from './registry/registry.js';
import type { SearchParamDef } from './types.js';

export { codeSystemSubsumption, expandCoreValueSet } from '../definitions/valuesets.js';
export { type ParsedReference, parseReference } from './expression/reference-target.js';
export { patientCompartmentParams } from './registry/compartment.js';
export { compartmentPatients } from './rows/compartment-patients.js';
export { compositeComponentTypes } from './rows/composite.js';
export { approximateDateRange, type DateRange, dateRange } from './rows/date-range.js';
export { extractIndexes } from './rows/extract.js';
export { normaliseString } from './rows/string.js';
export type * from './types.js';

/**
 * The R4 SearchParameter `code` of `resourceType` (e.g. Observation `patient`, `code`, `_tag`),
 * with its expression restricted to that type; undefined for an unknown type or code.
 */
export function getSearchParameter(resourceType: string, code: string): SearchParamDef | undefined {
  return registeredParam(resourceType, code)?.def;
}

/**
 * All R4 SearchParameters of `resourceType`: the Resource-level ones (`_id`, `_lastUpdated`,
 * `_tag`, `_profile`, `_security`, `_source`, and the expression-less `_content`, `_query`,
 * plus `_text` on DomainResources) first, then the type's own. Empty for an unknown type.
 * The definitions are frozen and shared.
 */
export function getSearchParameters(resourceType: string): SearchParamDef[] {
  return [...registeredParams(resourceType).values()].map((p) => p.def);
}
