import { conflict } from '@hospitium/fhir';
import { bedNeedsCleaning, type LocationResource } from '../beds.js';
import { inpatientClasses } from '../codes.js';
import { expectStay, leaveAll, nextStatus } from '../stay.js';
import { closeTransferRequest } from '../transfer-requests.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';
import { cancelReasonExtension, withReason } from './undo.js';

const definition = adtDefinition({
  code: 'cancel-admit',
  resource: 'Encounter',
  level: 'instance',
  title: 'Cancel an admission made in error',
  description:
    'Undoes an admission: the stay becomes cancelled (its places completed), the bed it held becomes dirty with a cleaning Task. Only for stays admitted as such (not for an emergency visit converted by $admit, whose history would be lost).',
  parameter: [{ name: 'reason', use: 'in', min: 1, max: '1', type: 'string' }, returnParameter('Encounter')],
});

/** `POST [base]/Encounter/{id}/$cancel-admit` (reason). Outbound: A11. */
export const cancelAdmitOperation = encounterOperation(
  definition,
  ['reason'],
  async ({ repo, encounter, input, beds }) => {
    const reason = input.string('reason', true);
    const time = new Date().toISOString();
    expectStay(encounter, ['in-progress', 'onleave'], 'cancel-admit');
    if (!inpatientClasses.has(encounter.class?.code ?? '')) {
      throw conflict(`Encounter/${encounter.id} is not an inpatient stay; only admissions can be cancelled`);
    }
    if ((encounter.classHistory ?? []).length > 0) {
      throw conflict(
        `Encounter/${encounter.id} was an emergency visit before it was admitted; transfer the patient or discharge the stay instead of cancelling it`,
      );
    }
    const saved = (
      await repo.updateResource({
        ...encounter,
        ...nextStatus(encounter, 'cancelled', time),
        location: leaveAll(encounter, time),
        extension: withReason(encounter, cancelReasonExtension, `cancel-admit: ${reason}`),
      } as typeof encounter)
    ).resource;
    for (const left of beds) {
      const bed = (await repo.readResource('Location', left)) as LocationResource;
      await bedNeedsCleaning(repo, bed, 'admission cancelled', time, {
        encounter: encounter.id,
        reason: 'admission-cancelled',
      });
    }
    await closeTransferRequest(repo, encounter.id, 'cancelled', time, 'admission cancelled');
    return saved as typeof encounter;
  },
);
