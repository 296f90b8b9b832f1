import { conflict } from '@hospitium/fhir';
import type { EncounterLocation, LocationResource } from '../beds.js';
import { nextStatus } from '../stay.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';
import { bedToReturnTo, cancelReasonExtension, reoccupy, withReason } from './undo.js';

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
      resumed.push(
        await bedToReturnTo(
          repo,
          id,
          'The bed the patient was discharged from',
          'admit the patient again instead',
        ),
      );
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
        extension: withReason(encounter, cancelReasonExtension, `cancel-discharge: ${reason}`),
      } as typeof encounter)
    ).resource;
    for (const bed of resumed) await reoccupy(repo, bed, time);
    return saved as typeof encounter;
  },
);
