import type { Permission } from '../smart/scopes.js';
import type { StaffRole } from './role-permissions.js';

/**
 * Workflow operations (modules/*): one act of someone's job that writes several types at once
 * (an admission writes the Encounter, the bed Location and a housekeeping Task). Their right is
 * not derived from the type groups — a registrar may not edit Locations, yet admits patients to
 * beds — but named here, per operation:
 *
 * - `scopes`: what the token's scopes must allow, type by type (a backend client needs every
 *   type it writes);
 * - `roles`: the staff roles that may run it; `bound`: those of them that may run it only for
 *   patients they are related to (care team, unit, encounter) or hold a break-the-glass grant
 *   for. A user holding an unbound role is not bound.
 */
export interface WorkflowRight {
  scopes: Readonly<Record<string, readonly Permission[]>>;
  roles: readonly StaffRole[];
  bound: readonly StaffRole[];
}

/** Moving a patient: the Encounter changes, beds change status, housekeeping gets Tasks. */
const movement = (create: boolean): WorkflowRight => ({
  scopes: { Encounter: create ? ['c', 'u'] : ['u'], Location: ['u'], Task: ['c', 'u'] },
  // Registrars (patient access, the bed manager) work hospital-wide; nurses and physicians for
  // their own patients. Admitting is for registrars and physicians (a nurse transfers and discharges).
  roles: create ? ['registrar', 'physician'] : ['registrar', 'nurse', 'physician'],
  bound: ['nurse', 'physician'],
});

/**
 * Housekeeping and blocking beds: no patient data is touched. Nurses (charge nurse, bed manager)
 * and registrars (patient access runs the bed board in smaller hospitals) may do it; there is no
 * housekeeping sign-in role yet.
 */
const housekeeping: WorkflowRight = {
  scopes: { Location: ['u'], Task: ['c', 'u'] },
  roles: ['registrar', 'nurse'],
  bound: [],
};

/**
 * The bed board shows who lies where (name, MRN, sex, age, attending) on every unit — the census
 * every ward's wall board shows — and no clinical content. It is open hospital-wide to the roles
 * that place and care for inpatients.
 */
const board: WorkflowRight = {
  scopes: { Location: ['s'], Encounter: ['s'], Patient: ['s'], Task: ['s'], Appointment: ['s'] },
  roles: ['registrar', 'nurse', 'physician'],
  bound: [],
};

export const workflowOperations: Readonly<Record<string, WorkflowRight>> = {
  admit: movement(true),
  transfer: movement(false),
  discharge: movement(false),
  'cancel-admit': movement(false),
  'cancel-transfer': movement(false),
  'cancel-discharge': movement(false),
  'leave-of-absence': movement(false),
  'return-from-leave': movement(false),
  // planning a move or a discharge: the same people who make it
  'request-transfer': movement(false),
  'cancel-transfer-request': movement(false),
  'plan-discharge': movement(false),
  'start-cleaning': housekeeping,
  'mark-clean': housekeeping,
  'mark-dirty': housekeeping,
  block: housekeeping,
  unblock: housekeeping,
  'bed-board': board,
  'bed-board-events': board,
};

/** The right of a workflow operation by code (own keys only: `$constructor` is no operation). */
export function workflowRight(code: string | undefined): WorkflowRight | undefined {
  return code !== undefined && Object.hasOwn(workflowOperations, code) ? workflowOperations[code] : undefined;
}
