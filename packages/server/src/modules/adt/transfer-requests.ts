import type { Repository } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import type { TaskResource } from './beds.js';
import { bedTransferRequestCode } from './codes.js';

/** The open (requested) transfer request of a stay, if any: there is at most one per stay. */
export async function openTransferRequest(
  repo: Repository,
  encounterId: string,
): Promise<TaskResource | undefined> {
  const found = await repo.search({
    resourceType: 'Task',
    filters: [
      { code: 'code', values: [`${bedTransferRequestCode.system}|${bedTransferRequestCode.code}`] },
      { code: 'focus', values: [`Encounter/${encounterId}`] },
      { code: 'status', values: ['requested', 'accepted', 'in-progress'] },
    ],
    count: 1,
  });
  return found.resources[0] as TaskResource | undefined;
}

/**
 * Closes a stay's open transfer request, if it has one: `completed` when the patient was moved
 * (`$transfer`), `cancelled` with the reason when the move is no longer wanted or the stay ended
 * (discharge, cancelled admission), so the board never shows a request for a patient who left.
 */
export async function closeTransferRequest(
  repo: Repository,
  encounterId: string,
  outcome: 'completed' | 'cancelled',
  time: string,
  why?: string,
): Promise<TaskResource | undefined> {
  const open = await openTransferRequest(repo, encounterId);
  if (!open) return undefined;
  const closed = {
    ...open,
    status: outcome,
    lastModified: time,
    ...(why ? { statusReason: { text: why } } : {}),
  } as Resource;
  return (await repo.updateResource(closed)).resource as TaskResource;
}
