import { conflict } from '@hospitium/fhir';
import {
  bedStatusOf,
  type EncounterLocation,
  type LocationResource,
  occupantsOf,
  openCleaningTask,
  setBedStatus,
} from '../beds.js';
import { bedStatusCodes } from '../codes.js';
import { nextStatus } from '../stay.js';
import { cancelReasonExtension } from './cancel-admit.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';

const definition = adtDefinition({
  code: 'cancel-discharge',
  resource: 'Encounter',
  level: 'instance',
  title: 'Cancel a discharge',
  description:
    'Undoes a discharge: the stay is in progress again in the places it held at discharge, the bed is occupied again (its cleaning Task cancelled). 409 when that bed has been given to another patient or closed.',
  parameter: [{ name: 'reason', use: 'in', min: 1, max: '1', type: 'string' }, returnParameter('Encounter')],
});

/** `POST [base]/Encounter/{id}/$cancel-discharge` (reason). Outbound: A13. */
export const cancelDischargeOperation = encounterOperation(
  definition,
  ['reason'],
  async ({ repo, encounter, input }) => {
    const reason = input.string('reason', true);
    const time = new Date().toISOString();
    const end = encounter.period?.end;
    if (encounter.status !== 'finished' || !end) {
      throw conflict(
        `$cancel-discharge needs a discharged (finished) stay; Encounter/${encounter.id} is ${encounter.status}`,
      );
    }
    const locations = encounter.location ?? [];
    const held = locations.filter((l) => l.status === 'completed' && l.period?.end === end);
    const beds = held
      .filter((l) => l.physicalType?.coding?.some((c) => c.code === 'bd'))
      .flatMap((l) => (l.location.reference ? [l.location.reference.slice('Location/'.length)] : []));
    const resumed: LocationResource[] = [];
    for (const id of beds) {
      const bed = (await repo.readResource('Location', id)) as LocationResource;
      if (bedStatusOf(bed) === bedStatusCodes.closed.code || (await occupantsOf(repo, id)).length > 0) {
        throw conflict(
          `The bed the patient was discharged from (${bed.name ?? id}) is ${bedStatusOf(bed) === 'C' ? 'closed' : 'occupied by another patient'}; admit the patient again instead`,
        );
      }
      resumed.push(bed);
    }
    const { end: _end, ...period } = encounter.period ?? {};
    const { dischargeDisposition: _d, ...hospitalization } = encounter.hospitalization ?? {};
    const location: EncounterLocation[] = locations.map((l) =>
      held.includes(l) ? { ...l, status: 'active' as const, period: { start: l.period?.start } } : l,
    );
    const saved = (
      await repo.updateResource({
        ...encounter,
        ...nextStatus(encounter, 'in-progress', time),
        period,
        hospitalization,
        location,
        extension: [
          ...((encounter.extension as unknown[] | undefined) ?? []),
          { url: cancelReasonExtension, valueString: `cancel-discharge: ${reason}` },
        ],
      } as typeof encounter)
    ).resource;
    for (const bed of resumed) {
      await setBedStatus(repo, bed, bedStatusCodes.occupied);
      const task = await openCleaningTask(repo, bed.id);
      if (task)
        await repo.updateResource({ ...task, status: 'cancelled', lastModified: time } as typeof task);
    }
    return saved as typeof encounter;
  },
);
