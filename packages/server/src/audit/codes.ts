import type { Coding } from '@hospitium/fhir';

/**
 * The code systems and codes of IHE Basic Audit Log Patterns (BALP) and DICOM that Hospitium's
 * AuditEvents use, in one place so the builder, the report and the tests agree on them.
 */
export const auditSystems = {
  eventType: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  restfulInteraction: 'http://hl7.org/fhir/restful-interaction',
  /** Operation names (`everything`, `export`, `who-viewed`) as a second subtype coding. */
  operation: 'urn:hospitium:operation',
  resourceTypes: 'http://hl7.org/fhir/resource-types',
  entityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  sourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  agentRole: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  /** Account ids of signed-in users (`AccessContext.subject`) and user names tried at sign-in. */
  user: 'urn:hospitium:user',
  /** OAuth client ids. */
  client: 'urn:hospitium:client',
  /** What was done outside the FHIR API (`hl7-list`, `hl7-read`, `hl7-replay`, `export-file`, `import`). */
  activity: 'urn:hospitium:activity',
  /** A server path (`GET /hl7/messages`) refused before it ran. */
  path: 'urn:hospitium:path',
  /** Stored HL7 v2 messages, by id. */
  hl7Message: 'urn:hospitium:hl7-message',
  /** Bulk Data export files, as `{job id}/{file number}`. */
  exportFile: 'urn:hospitium:bulk-export-file',
  /** Files loaded by `hospitium import`, by name. */
  importFile: 'urn:hospitium:import-file',
  /** What an administrator did to an account (`create`, `update`, `reset-password` …), as subtype. */
  accountChange: 'urn:hospitium:account-change',
} as const;

/** A DICOM audit code (DCM), the vocabulary of most AuditEvent types and subtypes here. */
function dicom(code: string, display: string): Coding {
  return { system: auditSystems.dicom, code, display };
}

/** AuditEvent.type of a FHIR REST interaction. */
export const restEventType: Coding = {
  system: auditSystems.eventType,
  code: 'rest',
  display: 'Restful Operation',
};

/** AuditEvent.type of a sign-in or sign-out (DICOM 110114). */
export const authenticationEventType = dicom('110114', 'User Authentication');

export const loginSubtype = dicom('110122', 'Login');
export const logoutSubtype = dicom('110123', 'Logout');

/** AuditEvent.type of a change to a user's roles (DICOM 110136 Security Roles Changed). */
export const securityRolesChangedType = dicom('110136', 'Security Roles Changed');

/** AuditEvent.type of any other change to an account (DICOM 110137 User Security Attributes Changed). */
export const userSecurityAttributesChangedType = dicom('110137', 'User Security Attributes Changed');

/** AuditEvent.type of a refused look at the user accounts (DICOM 110113 Security Alert). */
export const securityAlertType = dicom('110113', 'Security Alert');

/** AuditEvent.type of data leaving the server outside a FHIR interaction (DICOM 110106 Export): Bulk Data files. */
export const exportEventType = dicom('110106', 'Export');

/** AuditEvent.type of data loaded from outside (DICOM 110107 Import): `hospitium import`. */
export const importEventType = dicom('110107', 'Import');

/** AuditEvent.type of a search of the HL7 v2 message store (DICOM 110112 Query). */
export const queryEventType = dicom('110112', 'Query');

/** AuditEvent.type of a read of one stored HL7 v2 message (DICOM 110110 Patient Record). */
export const patientRecordEventType = dicom('110110', 'Patient Record');

/** purposeOfUse of an emergency access (break the glass). */
export const breakTheGlass: Coding = {
  system: auditSystems.actReason,
  code: 'BTG',
  display: 'break the glass',
};

/** AuditEvent.outcome: 0 success, 4 minor failure (4xx), 8 serious failure (5xx). */
export const auditOutcome = { success: '0', minorFailure: '4', seriousFailure: '8' } as const;
export type AuditOutcome = (typeof auditOutcome)[keyof typeof auditOutcome];

/** The outcome code of an HTTP status. */
export function outcomeOfStatus(status: number): AuditOutcome {
  if (status >= 500) return auditOutcome.seriousFailure;
  if (status >= 400) return auditOutcome.minorFailure;
  return auditOutcome.success;
}

/** AuditEvent.action: create, read, update, delete, execute. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';
