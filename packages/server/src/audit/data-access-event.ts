import type { Coding, Resource } from '@hospitium/fhir';
import { auditEvent, patientEntity, requesterAgents } from './build-event.js';
import { type AuditAction, auditSystems } from './codes.js';
import type { AuditRequester } from './types.js';

/** Most patients one event names; more are spread over several events of the same access. */
export const maxPatientsPerEvent = 1000;

/** Something acted on that is not a FHIR resource: a stored HL7 message, an export file, an import file. */
export interface AccessedObject {
  system: string;
  value: string;
  /** Name-value details (`resourceType`, `messageType`, `resources` …). */
  detail?: Record<string, string>;
}

/** What one access to patient data outside the FHIR API says. */
export interface DataAccessEventInput {
  requester: AuditRequester;
  /** DICOM event type: 110106 Export, 110107 Import, 110112 Query, 110110 Patient Record. */
  type: Coding;
  /** `urn:hospitium:activity` code: `hl7-list`, `hl7-read`, `hl7-replay`, `export-file`, `import`. */
  activity: string;
  action: AuditAction;
  status: number;
  outcomeDesc?: string;
  /** FHIR Patient ids of the patients whose data moved. */
  patients: readonly string[];
  /** Patients known only by an identifier (`system|value`, e.g. an MRN from PID-3). */
  patientIdentifiers?: readonly string[];
  objects: readonly AccessedObject[];
  /** The query of a search (`patient=…&type=ADT`), as a query entity. */
  query?: string;
  observer: string;
  recorded?: Date;
}

/**
 * The AuditEvents of an access to patient data that is not a FHIR interaction (IHE BALP
 * patterns with DICOM event types): the HL7 v2 message store, Bulk Data file downloads,
 * `hospitium import`. One event per `maxPatientsPerEvent` patients (an import of 5,000 patients
 * is five events, each naming its part and the objects); always at least one.
 */
export function buildDataAccessEvents(input: DataAccessEventInput): Resource[] {
  const named: Record<string, unknown>[] = [
    ...input.patients.map((id) => patientEntity(id)),
    ...(input.patientIdentifiers ?? []).map((identifier) => identifierPatientEntity(identifier)),
  ];
  const parts: Record<string, unknown>[][] = [];
  for (let i = 0; i < named.length; i += maxPatientsPerEvent)
    parts.push(named.slice(i, i + maxPatientsPerEvent));
  if (parts.length === 0) parts.push([]);
  return parts.map((patients, index) => {
    const entity = [...patients, ...input.objects.map((o) => objectEntity(o, index, parts.length))];
    if (input.query) {
      entity.push({
        type: { system: auditSystems.entityType, code: '2', display: 'System Object' },
        role: { system: auditSystems.objectRole, code: '24', display: 'Query' },
        query: Buffer.from(input.query).toString('base64'),
      });
    }
    return auditEvent({
      type: input.type,
      subtype: [{ system: auditSystems.activity, code: input.activity, display: input.activity }],
      action: input.action,
      status: input.status,
      outcomeDesc: input.outcomeDesc,
      recorded: input.recorded,
      agent: requesterAgents(input.requester),
      observer: input.observer,
      entity,
    });
  });
}

/** A patient known by identifier only (no FHIR Patient matched it): type Patient, role 1. */
function identifierPatientEntity(identifier: string): Record<string, unknown> {
  const bar = identifier.indexOf('|');
  const system = bar < 0 ? undefined : identifier.slice(0, bar);
  const value = bar < 0 ? identifier : identifier.slice(bar + 1);
  return {
    what: { identifier: { ...(system ? { system } : {}), value } },
    type: { system: auditSystems.resourceTypes, code: 'Patient', display: 'Patient' },
    role: { system: auditSystems.objectRole, code: '1', display: 'Patient' },
  };
}

function objectEntity(object: AccessedObject, part: number, parts: number): Record<string, unknown> {
  const detail = Object.entries(object.detail ?? {})
    .filter(([, v]) => v !== '')
    .map(([type, valueString]) => ({ type, valueString }));
  if (parts > 1) detail.push({ type: 'part', valueString: `${part + 1} of ${parts}` });
  return {
    what: { identifier: { system: object.system, value: object.value } },
    type: { system: auditSystems.entityType, code: '2', display: 'System Object' },
    role: { system: auditSystems.objectRole, code: '3', display: 'Report' },
    ...(detail.length > 0 ? { detail } : {}),
  };
}
