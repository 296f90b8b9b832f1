import type { Repository } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import type { RequestAudit } from '../audit/types.js';
import type { PatientAccess } from '../auth/policy/patient-access.js';
import type { EmergencyAccess } from '../auth/policy/policy.js';
import type { AccessContext } from '../auth/tokens/access-context.js';
import type { BulkExportService } from '../bulk/service.js';
import type { PatientCandidates } from '../modules/registration/match/candidates.js';

/**
 * A FHIR REST request, independent of the HTTP framework: the Fastify adapter builds one from
 * each HTTP request, and bundle processing builds one from each `Bundle.entry.request`.
 */
export interface FhirRequest {
  /** Upper-case HTTP method (`GET`, `POST`, …). */
  method: string;
  /** Path segments after the FHIR base, percent-decoded: `['Patient', '123', '_history', '2']`. */
  segments: string[];
  /** Query parameters in order, repeated keys kept (AND semantics for search). */
  query: URLSearchParams;
  /** Lower-cased header names; repeated headers joined with `, `. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Parsed body: a JSON value, a `URLSearchParams` for form bodies, or undefined. */
  body: unknown;
}

/** A FHIR REST response, turned into HTTP by the adapter or into a `Bundle.entry.response`. */
export interface FhirResponse {
  status: number;
  headers: Record<string, string>;
  /** A resource to serialise, stored JSON text to send as is, or nothing (204, `Prefer: return=minimal`). */
  body?: Resource | string;
  /**
   * Set by `handleFhirRequest` when a break-the-glass grant allowed the request (the audit
   * record's purposeOfUse BTG reads it: grant id, patient, stated reason, expiry). Not sent.
   */
  emergency?: EmergencyAccess;
}

/** The logging surface handlers use (a pino logger fits). */
export interface FhirLogger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

/** What every handler may use: the repository (possibly bound to a transaction) and the public base URL. */
export interface FhirContext {
  repository: Repository;
  /** Public FHIR base without trailing slash, e.g. `http://localhost:8080/fhir`. */
  baseUrl: string;
  logger: FhirLogger;
  /** Who is asking: every interaction is authorised against it (`internalAccess` for the server itself). */
  access: AccessContext;
  /** Bulk Data `$export` jobs; absent where there is no database handle (e.g. inside bundles). */
  bulkExport?: BulkExportService;
  /**
   * Finds the records `Patient/$match` scores (indexed blocking queries on the database); absent
   * without a database and inside transactions.
   */
  patientCandidates?: PatientCandidates;
  /** Care relationships and break-the-glass grants; absent without a database (clinical roles then reach no patient data). */
  patientAccess?: PatientAccess;
  /**
   * Set inside a transaction whose entries were all authorised before it began: the entries'
   * own `handleFhirRequest` calls skip authorisation (no statement may run beside the
   * transaction on PGlite) and the transaction-response is checked as a whole afterwards.
   */
  preauthorized?: boolean;
  /**
   * Where this request's AuditEvents go and who asks (network address, purpose of use); absent
   * for in-process work that is not audited (imports).
   */
  audit?: RequestAudit;
}

export type FhirHandler = (req: FhirRequest, ctx: FhirContext) => Promise<FhirResponse>;

/**
 * A request checked by the router: the interaction to run it with, or the answer already decided
 * (405). `check` looks at the response before it goes out (a staff user's response, resource by
 * resource); it reads the database, so it runs outside any write transaction (PGlite is one
 * session). `emergency`: the break-the-glass grant that allowed the request, known up front.
 */
export type ResolvedRequest =
  | FhirResponse
  | {
      handler: FhirHandler;
      request: FhirRequest;
      check?: (response: FhirResponse, ctx: FhirContext) => Promise<FhirResponse>;
      emergency?: EmergencyAccess;
    };
