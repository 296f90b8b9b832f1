import { badRequest } from '@hospitium/fhir';

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** Checks a logical id or versionId from the URL against the FHIR `id` datatype (400 otherwise). */
export function checkId(id: string, what: 'id' | 'versionId' = 'id'): string {
  if (!idPattern.test(id)) {
    throw badRequest(`Invalid ${what} '${id}': ids are 1-64 characters of A-Z, a-z, 0-9, '-' and '.'`);
  }
  return id;
}
