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
import { planDischargeOperation } from './plan-discharge.js';
import { cancelTransferRequestOperation, requestTransferOperation } from './request-transfer.js';
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
  requestTransferOperation,
  cancelTransferRequestOperation,
  planDischargeOperation,
  startCleaningOperation,
  markCleanOperation,
  markDirtyOperation,
  blockOperation,
  unblockOperation,
  bedBoardOperation,
];
