import type { FhirOperation } from '../../../fhir/operations/operation.js';
import { admitOperation } from './admit.js';
import { bedBoardOperation } from './bed-board.js';
import { cancelAdmitOperation } from './cancel-admit.js';
import { cancelDischargeOperation } from './cancel-discharge.js';
import { cancelTransferOperation } from './cancel-transfer.js';
import { dischargeOperation } from './discharge.js';
import {
  blockOperation,
  markCleanOperation,
  markDirtyOperation,
  startCleaningOperation,
  unblockOperation,
} from './housekeeping.js';
import { leaveOfAbsenceOperation, returnFromLeaveOperation } from './leave-of-absence.js';
import { transferOperation } from './transfer.js';

/** The ADT module's FHIR operations (listed in the server's operations list). */
export const adtOperations: readonly FhirOperation[] = [
  admitOperation,
  transferOperation,
  dischargeOperation,
  cancelAdmitOperation,
  cancelTransferOperation,
  cancelDischargeOperation,
  leaveOfAbsenceOperation,
  returnFromLeaveOperation,
  startCleaningOperation,
  markCleanOperation,
  markDirtyOperation,
  blockOperation,
  unblockOperation,
  bedBoardOperation,
];

/** Operation codes on Encounter that move a patient (the access policy's ADT group). */
export const encounterMovementCodes = [
  'admit',
  'transfer',
  'discharge',
  'cancel-admit',
  'cancel-transfer',
  'cancel-discharge',
  'leave-of-absence',
  'return-from-leave',
] as const;

/** Operation codes on Location for housekeeping and bed blocking. */
export const housekeepingCodes = ['start-cleaning', 'mark-clean', 'mark-dirty', 'block', 'unblock'] as const;
