import { conflict } from '@hospitium/fhir';
import {
  bedNeedsCleaning,
  checkBedFree,
  type LocationResource,
  loadBed,
  setBedStatus,
  unitOf,
} from '../beds.js';
import { bedStatusCodes } from '../codes.js';
import { moveTo, withAttending } from '../stay.js';
import { closeTransferRequest } from '../transfer-requests.js';
import { displayName } from './admit.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';

/** Where the reason for a move is kept on the new bed's `Encounter.location` entry. */
export const transferReasonExtension = 'http://hospitium.org/fhir/StructureDefinition/transfer-reason';

const definition = adtDefinition({
  code: 'transfer',
  resource: 'Encounter',
  level: 'instance',
  title: 'Transfer an inpatient to another bed',
  description:
    'Moves an in-progress inpatient stay to another clean bed (same or another unit), with a reason. The places left stay in Encounter.location as completed with their end; the bed left becomes dirty with a cleaning Task; the new bed occupied; an open transfer request of the stay is completed. 409 when the bed is not clean and free or the stay is not in progress.',
  parameter: [
    { name: 'bed', use: 'in', min: 1, max: '1', type: 'Reference' },
    { name: 'reason', use: 'in', min: 1, max: '1', type: 'string' },
    { name: 'attending', use: 'in', min: 0, max: '1', type: 'Reference' },
    { name: 'time', use: 'in', min: 0, max: '1', type: 'dateTime' },
    returnParameter('Encounter'),
  ],
});

/** `POST [base]/Encounter/{id}/$transfer` (bed, reason, attending?, time?). */
export const transferOperation = encounterOperation(
  definition,
  ['bed', 'reason', 'attending', 'time'],
  async ({ repo, encounter, input, beds }) => {
    const bedId = input.reference('bed', 'Location', true);
    const reason = input.string('reason', true);
    const attendingId = input.reference('attending', 'Practitioner');
    const time = input.time('time', new Date());
    if (encounter.status !== 'in-progress') {
      throw conflict(
        `$transfer needs an in-progress stay; Encounter/${encounter.id} is ${encounter.status}${encounter.status === 'onleave' ? ' (return from leave first)' : ''}`,
      );
    }
    if (beds.includes(bedId)) throw conflict(`The patient is already in bed Location/${bedId}`);
    const bed = await loadBed(repo, bedId);
    await checkBedFree(repo, bed);
    const attending = attendingId ? await repo.readResource('Practitioner', attendingId) : undefined;
    const unit = await unitOf(repo, bed);
    const location = moveTo(encounter, bed, unit, time);
    const last = location[location.length - 1];
    location[location.length - 1] = {
      ...last,
      extension: [{ url: transferReasonExtension, valueString: reason }],
    } as typeof last;
    const saved = (
      await repo.updateResource({
        ...encounter,
        location,
        participant: withAttending(
          encounter,
          attendingId,
          attending ? displayName(attending) : undefined,
          time,
        ),
      })
    ).resource;
    await setBedStatus(repo, bed, bedStatusCodes.occupied);
    for (const left of beds) {
      const old = (await repo.readResource('Location', left)) as LocationResource;
      await bedNeedsCleaning(repo, old, `patient transferred to ${bed.name ?? bed.id}`, time, {
        encounter: encounter.id,
        reason: 'transfer',
      });
    }
    await closeTransferRequest(repo, encounter.id, 'completed', time);
    return saved as typeof encounter;
  },
  (input) => {
    try {
      return [input.reference('bed', 'Location', true)];
    } catch {
      return [];
    }
  },
);
