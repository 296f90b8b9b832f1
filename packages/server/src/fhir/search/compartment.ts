import type { CompartmentFilter } from '@hospitium/db';
import { badRequest, getSearchParameter, patientCompartmentParams } from '@hospitium/fhir';

/** Compartment types the server can search in (the CompartmentDefinitions it has). */
export const compartmentTypes: readonly string[] = ['Patient'];

/**
 * The compartment restriction of a search of `resourceType` in `compartmentType/id`: the
 * reference parameters the R4 CompartmentDefinition lists (any of them links a resource in;
 * a Patient is also in its own compartment). 400 when the type is never in that compartment.
 */
export function compartmentFilter(
  compartmentType: string,
  id: string,
  resourceType: string,
): CompartmentFilter {
  if (!compartmentTypes.includes(compartmentType)) {
    throw badRequest(
      `Compartment search is supported for ${compartmentTypes.join(', ')}, not ${compartmentType}`,
    );
  }
  const params = patientCompartmentParams(resourceType).filter((code) => {
    const def = getSearchParameter(resourceType, code);
    // A parameter that cannot point at a Patient never links one in.
    return def?.type === 'reference' && (def.target.length === 0 || def.target.includes(compartmentType));
  });
  if (params.length === 0 && resourceType !== compartmentType) {
    throw badRequest(`${resourceType} resources are not in the ${compartmentType} compartment`);
  }
  return { resourceType: compartmentType, id, params };
}
