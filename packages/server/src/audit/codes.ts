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

/** AuditEvent.type of a FHIR REST interaction. */
export const restEventType: Coding = {
  system: auditSystems.eventType,
  code: 'rest',
  display: 'Restful Operation',
};

/** AuditEvent.type of a sign-in or sign-out (DICOM 110114). */
export const authenticationEventType: Coding = {
  system: auditSystems.dicom,
  code: '110114',
  display: 'User Authentication',
};

export const loginSubtype: Coding = { system: auditSystems.dicom, code: '110122', display: 'Login' };
export const logoutSubtype: Coding = { system: auditSystems.dicom, code: '110123', display: 'Logout' };

/** AuditEvent.type of a change to a user's roles (DICOM 110136 Security Roles Changed). */
export const securityRolesChangedType: Coding = {
  system: auditSystems.dicom,
  code: '110136',
  display: 'Security Roles Changed',
};

/** AuditEvent.type of any other change to an account (DICOM 110137 User Security Attributes Changed). */
export const userSecurityAttributesChangedType: Coding = {
  system: auditSystems.dicom,
  code: '110137',
  display: 'User Security Attributes Changed',
};

/** AuditEvent.type of a refused look at the user accounts (DICOM 110113 Security Alert). */
export const securityAlertType: Coding = {
  system: auditSystems.dicom,
  code: '110113',
  display: 'Security Alert',
};

/** AuditEvent.type of data leaving the server outside a FHIR interaction (DICOM 110106 Export): Bulk Data files. */
export const exportEventType: Coding = { system: auditSystems.dicom, code: '110106', display: 'Export' };

/** AuditEvent.type of data loaded from outside (DICOM 110107 Import): `hospitium import`. */
export const importEventType: Coding = { system: auditSystems.dicom, code: '110107', display: 'Import' };

/** AuditEvent.type of a search of the HL7 v2 message store (DICOM 110112 Query). */
export const queryEventType: Coding = { system: auditSystems.dicom, code: '110112', display: 'Query' };

/** AuditEvent.type of a read of one stored HL7 v2 message (DICOM 110110 Patient Record). */
export const patientRecordEventType: Coding = {
  system: auditSystems.dicom,
  code: '110110',
  display: 'Patient Record',
};

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
