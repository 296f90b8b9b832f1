import type { Repository } from '@hospitium/db';
import { conflict, isOperationOutcomeError, type Resource, unprocessable } from '@hospitium/fhir';
import { type LocationResource, loadBed, physicalTypeOf } from '../beds.js';
import { bedTransferRequestCode } from '../codes.js';
import type { OperationInput } from '../parameters.js';
import { expectStay } from '../stay.js';
import { closeTransferRequest, openTransferRequest } from '../transfer-requests.js';
import { adtDefinition, returnParameter } from './definition.js';
import { encounterOperation } from './encounter-operation.js';

const requestDefinition = adtDefinition({
  code: 'request-transfer',
  resource: 'Encounter',
  level: 'instance',
  title: 'Request a transfer for an inpatient',
  description:
    'Records that an inpatient should move to another unit or bed (a pending transfer on the bed board): a Task with code bed-transfer-request (status requested), focus the Encounter, location the unit or bed wanted, reasonCode.text the reason. One open request per stay (409 otherwise); $transfer completes it, $cancel-transfer-request cancels it, a discharge or cancelled admission cancels it. Returns the Task.',
  parameter: [
    { name: 'unit', use: 'in', min: 0, max: '1', type: 'Reference' },
    { name: 'bed', use: 'in', min: 0, max: '1', type: 'Reference' },
    { name: 'reason', use: 'in', min: 1, max: '1', type: 'string' },
    returnParameter('Task'),
  ],
});

/** The place wanted: a bed (physicalType bd) or a unit (wa); exactly one of the two parameters. */
async function wantedPlace(repo: Repository, input: OperationInput): Promise<LocationResource> {
  const unitGiven = input.has('unit');
  if (unitGiven === input.has('bed')) {
    throw input.problem('unit', "$request-transfer needs either 'unit' or 'bed' (one of them)");
  }
  if (!unitGiven) return loadBed(repo, input.reference('bed', 'Location', true), 'bed wanted');
  const id = input.reference('unit', 'Location', true);
  let unit: LocationResource;
  try {
    unit = (await repo.readResource('Location', id)) as LocationResource;
  } catch (err) {
    if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) {
      throw unprocessable(`The unit Location/${id} does not exist`);
    }
    throw err;
  }
  if (physicalTypeOf(unit) !== 'wa') {
    throw unprocessable(`Location/${id} (${unit.name ?? 'unnamed'}) is not a unit (physicalType wa)`);
  }
  return unit;
}

/**
 * `POST [base]/Encounter/{id}/$request-transfer` (unit | bed, reason); answers the Task. The stay
 * itself is not changed: the request is its own resource, so cancelling or completing it leaves
 * no trace to undo on the Encounter.
 */
export const requestTransferOperation = encounterOperation(
  requestDefinition,
  ['unit', 'bed', 'reason'],
  async ({ repo, encounter, input, beds }) => {
    const reason = input.string('reason', true);
    const place = await wantedPlace(repo, input);
    expectStay(encounter, ['in-progress', 'onleave'], 'request-transfer');
    if (beds.includes(place.id)) throw conflict(`The patient is already in bed ${place.name ?? place.id}`);
    const open = await openTransferRequest(repo, encounter.id);
    if (open) {
      throw conflict(
        `Encounter/${encounter.id} already has an open transfer request (Task/${open.id}); cancel it first`,
      );
    }
    const now = new Date().toISOString();
    const physical = physicalTypeOf(place) === 'bd' ? 'bed' : 'unit';
    return repo.createResource({
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      priority: 'routine',
      code: { coding: [{ ...bedTransferRequestCode }], text: 'Transfer request' },
      description: `Move to ${physical} ${place.name ?? place.id}: ${reason}`,
      focus: { reference: `Encounter/${encounter.id}` },
      encounter: { reference: `Encounter/${encounter.id}` },
      ...(encounter.subject ? { for: encounter.subject } : {}),
      location: { reference: `Location/${place.id}`, display: place.name },
      reasonCode: { text: reason },
      authoredOn: now,
      lastModified: now,
    } as Resource);
  },
);

const cancelDefinition = adtDefinition({
  code: 'cancel-transfer-request',
  resource: 'Encounter',
  level: 'instance',
  title: "Cancel an inpatient's transfer request",
  description:
    'Cancels the open bed-transfer-request Task of the stay (status cancelled, statusReason the reason). 409 when the stay has no open request. Returns the Task.',
  parameter: [{ name: 'reason', use: 'in', min: 1, max: '1', type: 'string' }, returnParameter('Task')],
});

/** `POST [base]/Encounter/{id}/$cancel-transfer-request` (reason). */
export const cancelTransferRequestOperation = encounterOperation(
  cancelDefinition,
  ['reason'],
  async ({ repo, encounter, input }) => {
    const reason = input.string('reason', true);
    const closed = await closeTransferRequest(
      repo,
      encounter.id,
      'cancelled',
      new Date().toISOString(),
      reason,
    );
    if (!closed) throw conflict(`Encounter/${encounter.id} has no open transfer request`);
    return closed;
  },
);
