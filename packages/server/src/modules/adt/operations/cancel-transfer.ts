import { conflict } from '@hospitium/fhir';
import { bedNeedsCleaning, type EncounterLocation, type LocationResource } from '../beds.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';
import { bedToReturnTo, cancelReasonExtension, reoccupy, withReason } from './undo.js';

const definition = adtDefinition({
  code: 'cancel-transfer',
  resource: 'Encounter',
  level: 'instance',
  title: 'Cancel the last transfer',
  description:
    "Undoes the stay's last transfer: the places it moved to are removed from Encounter.location, the places it left are active again, the bed it returns to is occupied (its cleaning Task cancelled) and the bed it leaves becomes dirty with a cleaning Task. 409 when the bed left has been given to another patient or closed.",
  parameter: [{ name: 'reason', use: 'in', min: 1, max: '1', type: 'string' }, returnParameter('Encounter')],
});

/** `POST [base]/Encounter/{id}/$cancel-transfer` (reason). Outbound: A12. */
export const cancelTransferOperation = encounterOperation(
  definition,
  ['reason'],
  async ({ repo, encounter, input, beds }) => {
    const reason = input.string('reason', true);
    const time = new Date().toISOString();
    if (encounter.status !== 'in-progress') {
      throw conflict(
        `$cancel-transfer needs an in-progress stay; Encounter/${encounter.id} is ${encounter.status}`,
      );
    }
    const locations = encounter.location ?? [];
    const active = locations.filter((l) => (l.status ?? 'active') === 'active');
    const movedAt = active[active.length - 1]?.period?.start;
    const previous = locations.filter(
      (l) => l.status === 'completed' && movedAt && l.period?.end === movedAt,
    );
    const previousBed = previous.find((l) => l.physicalType?.coding?.some((c) => c.code === 'bd'));
    if (!movedAt || !previousBed?.location.reference) {
      throw conflict(`Encounter/${encounter.id} has no transfer to cancel`);
    }
    const backId = previousBed.location.reference.slice('Location/'.length);
    const back = await bedToReturnTo(
      repo,
      backId,
      'The bed the patient came from',
      'transfer the patient instead',
    );
    const location: EncounterLocation[] = locations
      .filter((l) => !((l.status ?? 'active') === 'active' && l.period?.start === movedAt))
      .map((l) =>
        previous.includes(l) ? { ...l, status: 'active' as const, period: { start: l.period?.start } } : l,
      );
    const saved = (
      await repo.updateResource({
        ...encounter,
        location,
        extension: withReason(encounter, cancelReasonExtension, `cancel-transfer: ${reason}`),
      } as typeof encounter)
    ).resource;
    await reoccupy(repo, back, time);
    for (const left of beds.filter((b) => b !== backId)) {
      const bed = (await repo.readResource('Location', left)) as LocationResource;
      await bedNeedsCleaning(repo, bed, 'transfer cancelled', time, {
        encounter: encounter.id,
        reason: 'transfer-cancelled',
      });
    }
    return saved as typeof encounter;
  },
);
