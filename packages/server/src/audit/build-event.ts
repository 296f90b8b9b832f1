import type { Coding, Resource } from '@hospitium/fhir';
import type { AccessContext } from '../auth/tokens/access-context.js';
import {
  type AuditAction,
  auditSystems,
  authenticationEventType,
  breakTheGlass,
  loginSubtype,
  logoutSubtype,
  outcomeOfStatus,
  restEventType,
} from './codes.js';
import type { AuditRequester } from './types.js';

/** What one AuditEvent of a FHIR interaction says, before it is shaped as a resource. */
export interface RestEventInput {
  requester: AuditRequester;
  /** restful-interaction code (`read`, `search-type`, `create`, `operation`, …). */
  interaction: string;
  /** The operation's name without `$` when `interaction` is `operation`. */
  operation?: string;
  action: AuditAction;
  /** HTTP status of the answer: sets outcome 0 / 4 / 8. */
  status: number;
  /** Why it failed (the OperationOutcome text), for failures. */
  outcomeDesc?: string;
  /** Ids of the patients whose data the interaction touched (one entity each). */
  patients: readonly string[];
  /** The resources acted on (`Observation/1/_history/2`), as domain-object entities. */
  objects: readonly string[];
  /** The search query (`name=smith&_count=10`) of a search, as a query entity. */
  query?: string;
  /** The server (observer), usually its FHIR base URL. */
  observer: string;
  recorded?: Date;
}

/** An R4 AuditEvent of a FHIR REST interaction (IHE BALP). */
export function buildRestEvent(input: RestEventInput): Resource {
  const subtype: Coding[] = [
    { system: auditSystems.restfulInteraction, code: input.interaction, display: input.interaction },
  ];
  if (input.operation) {
    subtype.push({ system: auditSystems.operation, code: input.operation, display: `$${input.operation}` });
  }
  const entity: Record<string, unknown>[] = input.patients.map((id) => patientEntity(id));
  for (const reference of input.objects) {
    const type = reference.split('/')[0];
    entity.push({
      what: { reference },
      type: { system: auditSystems.resourceTypes, code: type, display: type },
      role: { system: auditSystems.objectRole, code: '4', display: 'Domain Resource' },
    });
  }
  if (input.query) {
    entity.push({
      type: { system: auditSystems.entityType, code: '2', display: 'System Object' },
      role: { system: auditSystems.objectRole, code: '24', display: 'Query' },
      query: Buffer.from(input.query).toString('base64'),
    });
  }
  return auditEvent({
    type: restEventType,
    subtype,
    action: input.action,
    status: input.status,
    outcomeDesc: input.outcomeDesc,
    recorded: input.recorded,
    agent: requesterAgents(input.requester),
    observer: input.observer,
    entity,
    purposeOfEvent: purposeOfUse(input.requester),
  });
}

/** What one sign-in or sign-out says. */
export interface SignInEventInput {
  kind: 'login' | 'logout';
  /** The user name typed (a failed sign-in) or of the account. Never the password. */
  username?: string;
  /** The account id, when the user is known. */
  userId?: string;
  /** `Practitioner/1`: the account's FHIR resource, when it has one. */
  fhirUser?: string;
  /** The OAuth client the user signs in to. */
  clientId?: string;
  networkAddress?: string;
  /** True for a refused sign-in. */
  failed: boolean;
  /** Why it was refused (`invalid`, `locked`, `totp-invalid`, …). */
  reason?: string;
  observer: string;
  recorded?: Date;
}

/** An R4 AuditEvent of a user sign-in (DICOM 110122) or sign-out (110123), after BALP. */
export function buildSignInEvent(input: SignInEventInput): Resource {
  const user: Record<string, unknown> = {
    type: agentType('humanuser', 'human user'),
    who: input.fhirUser
      ? { reference: input.fhirUser }
      : { identifier: { system: auditSystems.user, value: input.userId ?? input.username ?? 'unknown' } },
    requestor: true,
    ...(input.username ? { name: input.username } : {}),
    ...(input.userId ? { altId: input.userId } : {}),
    ...(input.networkAddress ? { network: { address: input.networkAddress, type: '2' } } : {}),
  };
  const agent = [user];
  if (input.clientId) agent.push(clientAgent(input.clientId, false));
  return auditEvent({
    type: authenticationEventType,
    subtype: [input.kind === 'login' ? loginSubtype : logoutSubtype],
    action: 'E',
    status: input.failed ? 401 : 200,
    outcomeDesc: input.failed ? `${input.kind} refused: ${input.reason ?? 'not authenticated'}` : undefined,
    recorded: input.recorded,
    agent,
    observer: input.observer,
    entity: [],
  });
}

/** The parts every event has; the builders fill them. */
export interface EventParts {
  type: Coding;
  subtype: Coding[];
  action: AuditAction;
  status: number;
  outcomeDesc?: string;
  recorded?: Date;
  agent: Record<string, unknown>[];
  observer: string;
  entity: Record<string, unknown>[];
  purposeOfEvent?: Record<string, unknown>[];
}

/** An R4 AuditEvent from its parts (outcome from the HTTP status, Hospitium as the source). */
export function auditEvent(parts: EventParts): Resource {
  const event: Resource = {
    resourceType: 'AuditEvent',
    type: parts.type,
    subtype: parts.subtype,
    action: parts.action,
    recorded: (parts.recorded ?? new Date()).toISOString(),
    outcome: outcomeOfStatus(parts.status),
  };
  if (parts.outcomeDesc) event.outcomeDesc = parts.outcomeDesc.slice(0, 1000);
  if (parts.purposeOfEvent) event.purposeOfEvent = parts.purposeOfEvent;
  event.agent = parts.agent;
  event.source = {
    observer: { display: 'Hospitium', identifier: { system: 'urn:ietf:rfc:3986', value: parts.observer } },
    type: [{ system: auditSystems.sourceType, code: '4', display: 'Application Server' }],
  };
  if (parts.entity.length > 0) event.entity = parts.entity;
  return event;
}

/** The patient entity (BALP: type Patient, role 1). */
export function patientEntity(id: string): Record<string, unknown> {
  return {
    what: { reference: `Patient/${id}` },
    type: { system: auditSystems.resourceTypes, code: 'Patient', display: 'Patient' },
    role: { system: auditSystems.objectRole, code: '1', display: 'Patient' },
  };
}

/**
 * The agents of a request: a signed-in user (by FHIR resource when the account has one, else
 * by account id) and the app they use; a backend service alone; the server itself; or, for a
 * request without a valid token, an unidentified requestor with only its address.
 */
export function requesterAgents(requester: AuditRequester): Record<string, unknown>[] {
  const { access, networkAddress } = requester;
  const network = networkAddress ? { network: { address: networkAddress, type: '2' } } : {};
  const purpose = purposeOfUse(requester);
  const withPurpose = purpose ? { purposeOfUse: purpose } : {};
  switch (access.kind) {
    case 'user': {
      const user = {
        type: agentType('humanuser', 'human user'),
        who: userReference(access),
        altId: access.subject,
        requestor: true,
        ...network,
        ...withPurpose,
      };
      return access.clientId ? [user, clientAgent(access.clientId, false)] : [user];
    }
    case 'client':
      return [{ ...clientAgent(access.clientId ?? access.subject, true), ...network, ...withPurpose }];
    case 'internal':
      return [
        {
          type: agentType('dataprocessor', 'data processor'),
          who: { identifier: { system: auditSystems.client, value: access.subject }, display: 'Hospitium' },
          requestor: true,
        },
      ];
    case 'anonymous':
      return [
        { type: agentType('humanuser', 'human user'), name: 'unauthenticated', requestor: true, ...network },
      ];
  }
}

function userReference(access: AccessContext): Record<string, unknown> {
  if (access.fhirUser) return { reference: access.fhirUser };
  return { identifier: { system: auditSystems.user, value: access.subject } };
}

function clientAgent(clientId: string, requestor: boolean): Record<string, unknown> {
  return {
    type: { coding: [{ system: auditSystems.dicom, code: '110150', display: 'Application' }] },
    who: { identifier: { system: auditSystems.client, value: clientId } },
    requestor,
  };
}

function agentType(code: string, display: string): Record<string, unknown> {
  return { coding: [{ system: auditSystems.agentRole, code, display }] };
}

function purposeOfUse(requester: AuditRequester): Record<string, unknown>[] | undefined {
  const codings: Coding[] = [...(requester.purposeOfUse ?? [])];
  if (requester.emergency) codings.push(breakTheGlass);
  if (codings.length === 0) return undefined;
  return codings.map((coding) =>
    coding === breakTheGlass && requester.emergency
      ? { coding: [coding], text: requester.emergency.reason }
      : { coding: [coding] },
  );
}
