import type { Repository } from '@hospitium/db';
import { conflict } from '@hospitium/fhir';
import {
  bedStatusOf,
  type EncounterResource,
  type LocationResource,
  occupantsOf,
  openCleaningTask,
  setBedStatus,
} from '../beds.js';
import { bedStatusCodes } from '../codes.js';

/** Where the reason a cancel gives is kept (an extension on the Encounter, one per cancel). */
export const cancelReasonExtension = 'http://hospitium.org/fhir/StructureDefinition/adt-cancel-reason';

/** The encounter's extensions with one more `{ url, valueString }` at the end. */
export function withReason(encounter: EncounterResource, url: string, text: string): unknown[] {
  return [...((encounter.extension as unknown[] | undefined) ?? []), { url, valueString: text }];
}

/**
 * The bed a cancelled discharge or transfer puts the patient back in, read under the caller's
 * locks: 409 when it is closed or another stay holds it (`what` names the bed in the message,
 * `instead` says what to do).
 */
export async function bedToReturnTo(
  repo: Repository,
  id: string,
  what: string,
  instead: string,
): Promise<LocationResource> {
  const bed = (await repo.readResource('Location', id)) as LocationResource;
  const status = bedStatusOf(bed);
  if (status === bedStatusCodes.closed.code || (await occupantsOf(repo, id)).length > 0) {
    throw conflict(
      `${what} (${bed.name ?? id}) is ${status === bedStatusCodes.closed.code ? 'closed' : 'occupied by another patient'}; ${instead}`,
    );
  }
  return bed;
}

/** The patient is back in the bed: occupied, and its open cleaning Task (if any) cancelled. */
export async function reoccupy(repo: Repository, bed: LocationResource, time: string): Promise<void> {
  await setBedStatus(repo, bed, bedStatusCodes.occupied);
  const task = await openCleaningTask(repo, bed.id);
  if (task) await repo.updateResource({ ...task, status: 'cancelled', lastModified: time } as typeof task);
}
