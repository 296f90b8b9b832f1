import type { Repository } from '@hospitium/db';

/** Identifiers looked up per search (each is one OR-ed value of `Patient?identifier=`). */
const perSearch = 100;

/**
 * The FHIR Patients behind `system|value` identifiers (the MRNs an HL7 v2 message names in
 * PID-3), so that an access to a message is found under the patient in the audit trail and by
 * `$who-viewed`. One indexed search per 100 identifiers; identifiers no Patient carries are
 * returned as `unresolved` (the message may name a patient not (yet) registered).
 */
export async function resolvePatientIdentifiers(
  repository: Repository,
  identifiers: readonly string[],
): Promise<{ ids: string[]; unresolved: string[] }> {
  const wanted = [...new Set(identifiers.filter((i) => i.includes('|') && !i.endsWith('|')))];
  const ids = new Set<string>();
  const found = new Set<string>();
  for (let i = 0; i < wanted.length; i += perSearch) {
    const values = wanted.slice(i, i + perSearch);
    const result = await repository.search({
      resourceType: 'Patient',
      filters: [{ code: 'identifier', values }],
      count: 1000,
    });
    for (const patient of result.resources) {
      if (typeof patient.id === 'string') ids.add(patient.id);
      const own = (patient.identifier as { system?: string; value?: string }[] | undefined) ?? [];
      for (const id of own) found.add(`${id.system ?? ''}|${id.value ?? ''}`);
    }
  }
  const unresolved = [...new Set(identifiers)].filter((i) => !found.has(i));
  return { ids: [...ids], unresolved };
}
