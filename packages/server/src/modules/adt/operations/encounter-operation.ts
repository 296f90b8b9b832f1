import type { Repository } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import type { FhirOperation } from '../../../fhir/operations/operation.js';
import { checkId } from '../../../fhir/resource-id.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../../../fhir/types.js';
import { type EncounterResource, loadEncounter, lockForAdt } from '../beds.js';
import { OperationInput } from '../parameters.js';
import { heldBeds } from '../stay.js';

/** What an instance-level ADT operation on an Encounter works with inside its transaction. */
export interface EncounterStep {
  repo: Repository;
  encounter: EncounterResource;
  input: OperationInput;
  /** The beds the encounter holds now (locked). */
  beds: string[];
}

/**
 * An ADT operation on one Encounter (`POST Encounter/{id}/$op`): reads its Parameters, then in
 * one transaction locks the patient and the beds involved (`extraBeds` names beds the
 * parameters bring, e.g. the transfer's target), re-reads the encounter under the lock (so a
 * stale board cannot act on an old state) and runs `step`, which returns the updated Encounter (or the resource the operation made, e.g. a Task).
 */
export function encounterOperation(
  definition: FhirOperation['definition'],
  parameters: readonly string[],
  step: (s: EncounterStep) => Promise<Resource>,
  extraBeds: (input: OperationInput, encounter: EncounterResource) => string[] = () => [],
): FhirOperation {
  const handler = async (req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> => {
    const id = checkId(req.segments[1]);
    const input = new OperationInput(definition.code, req.body, parameters);
    const saved = await ctx.repository.withTransaction(async (repo) => {
      const first = await loadEncounter(repo, id);
      const patient = first.subject?.reference?.startsWith('Patient/')
        ? first.subject.reference.slice(8)
        : undefined;
      await lockForAdt(repo, { patient, beds: [...allBeds(first), ...extraBeds(input, first)] });
      const encounter = await loadEncounter(repo, id);
      return step({ repo, encounter, input, beds: heldBeds(encounter) });
    });
    return { status: 200, headers: {}, body: saved };
  };
  return { definition, methods: ['POST'], handler };
}

/** Every bed the encounter ever named (a cancel puts the patient back in one of them). */
function allBeds(encounter: EncounterResource): string[] {
  return (encounter.location ?? [])
    .filter((l) => l.physicalType?.coding?.some((c) => c.code === 'bd'))
    .flatMap((l) => (l.location.reference?.startsWith('Location/') ? [l.location.reference.slice(9)] : []));
}
