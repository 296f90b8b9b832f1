import { badRequest } from '@hospitium/fhir';
import type { EncounterResource } from '../beds.js';
import { expectedDischargeExtension } from '../codes.js';
import { expectStay } from '../stay.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';

const definition = adtDefinition({
  code: 'plan-discharge',
  resource: 'Encounter',
  level: 'instance',
  title: 'Plan (or un-plan) the discharge of an inpatient',
  description:
    'Records when an in-progress (or on-leave) stay is expected to end, with an optional note, as the extension http://hospitium.org/fhir/StructureDefinition/expected-discharge (time, note) on the Encounter: an expected discharge on the bed board. Without time the plan is removed. $discharge clears it.',
  parameter: [
    { name: 'time', use: 'in', min: 0, max: '1', type: 'dateTime' },
    { name: 'note', use: 'in', min: 0, max: '1', type: 'string' },
    returnParameter('Encounter'),
  ],
});

type Extension = { url?: string; [value: string]: unknown };

/** The Encounter's extensions without the expected discharge (what `$discharge` and un-planning keep). */
export function withoutExpectedDischarge(encounter: EncounterResource): Extension[] | undefined {
  const kept = ((encounter.extension as Extension[] | undefined) ?? []).filter(
    (e) => e.url !== expectedDischargeExtension,
  );
  return kept.length ? kept : undefined;
}

/** `POST [base]/Encounter/{id}/$plan-discharge` (time?, note?); answers the Encounter. */
export const planDischargeOperation = encounterOperation(
  definition,
  ['time', 'note'],
  async ({ repo, encounter, input }) => {
    const time = input.dateTime('time');
    const note = input.string('note');
    if (!time && note) {
      throw input.problem(
        'note',
        "$plan-discharge: a 'note' needs a 'time' (without time the plan is removed)",
      );
    }
    expectStay(encounter, ['in-progress', 'onleave'], 'plan-discharge');
    const start = encounter.period?.start;
    if (time && start && Date.parse(time) < Date.parse(start)) {
      throw badRequest(
        `$plan-discharge: 'time' is before the stay began (${start})`,
        "Parameters.parameter.where(name='time')",
      );
    }
    const { extension: _old, ...rest } = encounter;
    const kept = withoutExpectedDischarge(encounter) ?? [];
    const plan = time
      ? [
          {
            url: expectedDischargeExtension,
            extension: [
              { url: 'time', valueDateTime: time },
              ...(note ? [{ url: 'note', valueString: note }] : []),
            ],
          },
        ]
      : [];
    const extension = [...kept, ...plan];
    return (await repo.updateResource({ ...rest, ...(extension.length ? { extension } : {}) })).resource;
  },
);
