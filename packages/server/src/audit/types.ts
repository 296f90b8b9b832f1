import type { Repository } from '@hospitium/db';
import type { Coding } from '@hospitium/fhir';
import type { AccessContext } from '../auth/tokens/access-context.js';
import type { AuditRecorder } from './recorder.js';

/** A break-the-glass access: the reason the user gave for overriding the usual restrictions. */
export interface EmergencyAccess {
  reason: string;
}

/**
 * Who made a request, as the audit trail names them: the access context of the token (or
 * anonymous for a refused request), the network address it came from, and why (purpose of
 * use; an emergency access adds BTG).
 */
export interface AuditRequester {
  access: AccessContext;
  /** The client's IP address as the server saw it (`request.ip`). */
  networkAddress?: string;
  emergency?: EmergencyAccess;
  purposeOfUse?: Coding[];
}

/**
 * The audit side of one FHIR request, carried in `FhirContext.audit`: where events go and who
 * is asking. `transaction` is the repository of the request's open database transaction (a
 * write, or an entry of a transaction bundle): events are then written in that transaction
 * rather than queued, so they commit or roll back with the change.
 */
export interface RequestAudit {
  recorder: AuditRecorder;
  networkAddress?: string;
  emergency?: EmergencyAccess;
  purposeOfUse?: Coding[];
  transaction?: Repository;
}

/** Audit settings of a server. */
export interface AuditOptions {
  /**
   * Record successful reads and searches (default true). Only for benchmarks of the raw store:
   * writes, failures and sign-ins are recorded whatever this says.
   */
  reads?: boolean;
  /** Largest number of queued events written in one transaction (default 500). */
  maxBatch?: number;
}
