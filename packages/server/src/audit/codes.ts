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
