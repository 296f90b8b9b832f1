import type { Repository } from '@hospitium/db';
import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import {
  bedNeedsCleaning,
  bedStatusOf,
  type EncounterResource,
  type LocationResource,
  lockForAdt,
  occupantsOf,
  openCleaningTask,
  physicalTypeOf,
  setBedStatus,
} from './beds.js';
import { bedHoldingStatuses, bedStatusCodes, type VacatedReason } from './codes.js';

const holding: ReadonlySet<string> = new Set(bedHoldingStatuses);
const idOf = (ref: string | undefined) => (ref?.startsWith('Location/') ? ref.slice(9) : undefined);

/** The Location ids of an encounter's entries in `status` (a missing entry status counts as active). */
function placesIn(encounter: EncounterResource | undefined, status: 'active' | 'completed'): string[] {
  if (!encounter) return [];
  if (status === 'active' && !holding.has(encounter.status)) return [];
  return (encounter.location ?? [])
    .filter((l) => (l.status ?? 'active') === status)
    .flatMap((l) => idOf(l.location.reference) ?? []);
}

/** The version before `versionId` of an encounter, or undefined when it is the first (or gone). */
async function previousVersion(
  repo: Repository,
  id: string,
  versionId: number,
): Promise<EncounterResource | undefined> {
  if (versionId <= 1) return undefined;
  try {
    return (await repo.readVersion('Encounter', id, String(versionId - 1))) as EncounterResource;
  } catch (err) {
    if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) return undefined;
    throw err;
  }
}

/** Only Locations that are beds; others (wards, rooms, unknown ids) are not the board's business. */
async function bedsAmong(repo: Repository, ids: Iterable<string>): Promise<LocationResource[]> {
  const beds: LocationResource[] = [];
  for (const id of new Set(ids)) {
    try {
      const location = (await repo.readResource('Location', id)) as LocationResource;
      if (physicalTypeOf(location) === 'bd') beds.push(location);
    } catch (err) {
      if (!(isOperationOutcomeError(err) && (err.status === 404 || err.status === 410))) throw err;
    }
  }
  return beds;
}

/** An encounter version a message wrote, with its content when the caller has it (saves a read). */
export interface WrittenEncounter {
  id: string;
  versionId: number;
  resource?: Resource;
}

/**
 * Keeps the beds true to what an inbound ADT message (A02 transfer, A03 discharge, A11 cancelled
 * admission, A01 …) wrote on its encounters, as the ADT operations do, in the message's
 * transaction: a bed the encounter no longer holds becomes dirty (H) with a cleaning Task naming
 * the stay and why (discharge, transfer, admission-cancelled) unless another stay holds it or it
 * is blocked; a bed the encounter now holds becomes occupied (O), its open cleaning Task
 * cancelled (the real world has already put the patient there). `written` are the
 * `Encounter/{id}/_history/{n}` versions the message wrote; each is compared with its previous
 * version, so a resent message changes nothing twice, and a message that names no place for a
 * stay in progress (an A08 without PV1-3) leaves its bed alone.
 */
export async function applyFeedBedChanges(
  repo: Repository,
  written: readonly WrittenEncounter[],
): Promise<void> {
  const now = new Date().toISOString();
  for (const { id, versionId, resource } of written) {
    const after = (resource ??
      (await repo.readVersion('Encounter', id, String(versionId)))) as EncounterResource;
    // A first version has nothing before it: no read.
    const before = await previousVersion(repo, id, versionId);
    const heldAfter = new Set(placesIn(after, 'active'));
    const heldBefore = new Set(placesIn(before, 'active'));
    const completedBefore = new Set(placesIn(before, 'completed'));
    const completedAfter = placesIn(after, 'completed');
    // A message that names no place for a stay still in progress (an A08 without PV1-3) says
    // nothing about the bed: only a move, an end, or a place marked left frees one.
    const moved = heldAfter.size > 0 || !holding.has(after.status);
    const left = [
      ...[...heldBefore].filter((id) => !heldAfter.has(id) && (moved || completedAfter.includes(id))),
      // a place the message itself says was left (PV1-6 of an A02, the bed of an A03 for a stay
      // this server never saw in it)
      ...completedAfter.filter((id) => !heldAfter.has(id) && !completedBefore.has(id)),
    ];
    const entered = [...heldAfter].filter((id) => !heldBefore.has(id));
    if (left.length + entered.length === 0) continue;
    const patient = after.subject?.reference?.startsWith('Patient/')
      ? after.subject.reference.slice(8)
      : undefined;
    // Locked before the places are read, so the bed status read is the one this transaction
    // changes (a place that is not a bed costs a lock no one else takes).
    await lockForAdt(repo, { patient, beds: [...left, ...entered] });
    const vacated = await bedsAmong(repo, left);
    const occupied = await bedsAmong(repo, entered);
    if (vacated.length + occupied.length === 0) continue;
    const reason: VacatedReason =
      after.status === 'finished'
        ? 'discharge'
        : after.status === 'cancelled' || after.status === 'entered-in-error'
          ? 'admission-cancelled'
          : 'transfer';
    for (const bed of vacated) {
      const status = bedStatusOf(bed);
      if (status === bedStatusCodes.closed.code || status === bedStatusCodes.isolated.code) continue;
      const others = (await occupantsOf(repo, bed.id)).filter((e) => e.id !== after.id);
      if (others.length > 0) continue;
      await bedNeedsCleaning(repo, bed, `patient left (HL7 ${reason})`, now, {
        encounter: after.id,
        reason,
      });
    }
    for (const bed of occupied) {
      if (bedStatusOf(bed) !== bedStatusCodes.occupied.code)
        await setBedStatus(repo, bed, bedStatusCodes.occupied);
      const task = await openCleaningTask(repo, bed.id);
      if (task) {
        await repo.updateResource({
          ...task,
          status: 'cancelled',
          lastModified: now,
          statusReason: { text: 'a patient was placed in the bed (HL7 feed)' },
        } as Resource);
      }
    }
  }
}
