import { expectStay, nextStatus } from '../stay.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';
import { withReason } from './undo.js';

const leaveDefinition = adtDefinition({
  code: 'leave-of-absence',
  resource: 'Encounter',
  level: 'instance',
  title: 'Start a leave of absence',
  description:
    'The patient leaves the hospital for a while (a weekend home, a procedure elsewhere) and keeps the bed: the stay becomes onleave, the bed stays occupied.',
  parameter: [
    { name: 'reason', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'time', use: 'in', min: 0, max: '1', type: 'dateTime' },
    returnParameter('Encounter'),
  ],
});

/** `POST [base]/Encounter/{id}/$leave-of-absence` (reason?, time?). Outbound: A21. */
export const leaveOfAbsenceOperation = encounterOperation(
  leaveDefinition,
  ['reason', 'time'],
  async ({ repo, encounter, input }) => {
    const reason = input.string('reason');
    const time = input.time('time', new Date());
    expectStay(encounter, ['in-progress'], 'leave-of-absence');
    const saved = (
      await repo.updateResource({
        ...encounter,
        ...nextStatus(encounter, 'onleave', time),
        ...(reason
          ? {
              extension: withReason(encounter, leaveReasonExtension, reason),
            }
          : {}),
      } as typeof encounter)
    ).resource;
    return saved as typeof encounter;
  },
);

/** Where the reason for a leave of absence is kept. */
export const leaveReasonExtension = 'http://hospitium.org/fhir/StructureDefinition/leave-reason';

const returnDefinition = adtDefinition({
  code: 'return-from-leave',
  resource: 'Encounter',
  level: 'instance',
  title: 'Return from a leave of absence',
  description: 'The patient is back in the bed they kept: the stay is in progress again.',
  parameter: [{ name: 'time', use: 'in', min: 0, max: '1', type: 'dateTime' }, returnParameter('Encounter')],
});

/** `POST [base]/Encounter/{id}/$return-from-leave` (time?). Outbound: A22. */
export const returnFromLeaveOperation = encounterOperation(
  returnDefinition,
  ['time'],
  async ({ repo, encounter, input }) => {
    const time = input.time('time', new Date());
    expectStay(encounter, ['onleave'], 'return-from-leave');
    return (await repo.updateResource({ ...encounter, ...nextStatus(encounter, 'in-progress', time) }))
      .resource as typeof encounter;
  },
);
