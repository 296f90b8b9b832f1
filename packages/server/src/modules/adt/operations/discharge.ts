import type { LocationResource } from '../beds.js';
import { bedNeedsCleaning } from '../beds.js';
import { adtSystems, dischargeDispositions } from '../codes.js';
import { expectStay, leaveAll, nextStatus } from '../stay.js';
import { closeTransferRequest } from '../transfer-requests.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';
import { withoutExpectedDischarge } from './plan-discharge.js';

const definition = adtDefinition({
  code: 'discharge',
  resource: 'Encounter',
  level: 'instance',
  title: 'Discharge an inpatient',
  description:
    'Ends an in-progress (or on-leave) stay: status finished, period.end, hospitalization.dischargeDisposition; every place it held is completed; the bed becomes dirty (H) with a cleaning Task for housekeeping; the expected discharge ($plan-discharge) is cleared and an open transfer request cancelled.',
  parameter: [
    { name: 'disposition', use: 'in', min: 1, max: '1', type: 'code' },
    { name: 'time', use: 'in', min: 0, max: '1', type: 'dateTime' },
    returnParameter('Encounter'),
  ],
});

/** `POST [base]/Encounter/{id}/$discharge` (disposition from discharge-disposition, time?). */
export const dischargeOperation = encounterOperation(
  definition,
  ['disposition', 'time'],
  async ({ repo, encounter, input, beds }) => {
    const disposition = input.code(
      'disposition',
      adtSystems.dischargeDisposition,
      dischargeDispositions,
      true,
    ) as string;
    const time = input.time('time', new Date());
    expectStay(encounter, ['in-progress', 'onleave'], 'discharge');
    const { extension: _plan, ...rest } = encounter;
    const extension = withoutExpectedDischarge(encounter);
    const saved = (
      await repo.updateResource({
        ...rest,
        ...(extension ? { extension } : {}),
        ...nextStatus(encounter, 'finished', time),
        period: { ...encounter.period, end: time },
        location: leaveAll(encounter, time),
        hospitalization: {
          ...encounter.hospitalization,
          dischargeDisposition: {
            coding: [
              {
                system: adtSystems.dischargeDisposition,
                code: disposition,
                display: dischargeDispositions[disposition],
              },
            ],
          },
        },
      })
    ).resource;
    for (const left of beds) {
      const bed = (await repo.readResource('Location', left)) as LocationResource;
      await bedNeedsCleaning(repo, bed, 'patient discharged', time, {
        encounter: encounter.id,
        reason: 'discharge',
      });
    }
    await closeTransferRequest(repo, encounter.id, 'cancelled', time, 'patient discharged');
    return saved as typeof encounter;
  },
);
