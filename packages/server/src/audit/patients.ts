import { compartmentPatients, type Resource } from '@hospitium/fhir';

const cache = new WeakMap<Resource, readonly string[]>();

/**
 * The ids of the patients a resource belongs to (a Patient itself, or the Patients its
 * Patient-compartment parameters point at). Remembered per resource object: a bundle's entry
 * events and the bundle's own event ask about the same resources.
 */
export function patientsOf(resource: Resource): readonly string[] {
  let ids = cache.get(resource);
  if (!ids) {
    ids = compartmentPatients(resource);
    cache.set(resource, ids);
  }
  return ids;
}
