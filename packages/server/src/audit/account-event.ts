import type { Resource } from '@hospitium/fhir';
import { auditEvent, requesterAgents } from './build-event.js';
import {
  type AuditAction,
  auditSystems,
  securityAlertType,
  securityRolesChangedType,
  userSecurityAttributesChangedType,
} from './codes.js';
import type { AuditRequester } from './types.js';

/** What an administrator does to an account (the event's subtype code). */
export const accountChanges = [
  'create',
  'update',
  'reset-password',
  'unlock',
  'lock',
  'reset-totp',
  /** Looking at accounts: recorded only when refused (a Security Alert). */
  'list',
  'read',
] as const;
export type AccountChange = (typeof accountChanges)[number];

/** What one change to a user account says, before it is shaped as a resource. */
export interface AccountEventInput {
  requester: AuditRequester;
  change: AccountChange;
  /** The account's user name (as asked for, when the account is unknown). */
  username: string;
  /** The account id, when the account exists. */
  userId?: string;
  /** The fields set (`roles`, `displayName`, `fhirUser`, `active`, `password` …), never their secret values. */
  fields: readonly string[];
  /** The roles after the change, when they were set. */
  roles?: readonly string[];
  /** HTTP status of the answer: outcome 0 / 4 / 8. */
  status: number;
  outcomeDesc?: string;
  observer: string;
  recorded?: Date;
}

/**
 * An R4 AuditEvent of an account change: DICOM 110136 Security Roles Changed when the roles
 * were set, else 110137 User Security Attributes Changed (110113 Security Alert for a refused
 * attempt to list or read accounts); the account as a Security User
 * entity (object-role 11) with the fields changed as details. Passwords, temporary passwords
 * and TOTP secrets never appear: only that they were set.
 */
export function buildAccountEvent(input: AccountEventInput): Resource {
  const looking = input.change === 'list' || input.change === 'read';
  const action: AuditAction =
    input.change === 'create' ? 'C' : input.change === 'read' ? 'R' : input.change === 'list' ? 'E' : 'U';
  const detail: Record<string, unknown>[] = [];
  if (input.fields.length > 0) detail.push({ type: 'changed', valueString: input.fields.join(',') });
  if (input.roles && input.roles.length > 0)
    detail.push({ type: 'roles', valueString: input.roles.join(',') });
  return auditEvent({
    type: looking
      ? securityAlertType
      : input.roles
        ? securityRolesChangedType
        : userSecurityAttributesChangedType,
    subtype: [{ system: auditSystems.accountChange, code: input.change, display: input.change }],
    action,
    status: input.status,
    outcomeDesc: input.outcomeDesc,
    recorded: input.recorded,
    agent: requesterAgents(input.requester),
    observer: input.observer,
    entity: [
      {
        what: {
          identifier: { system: auditSystems.user, value: input.userId ?? input.username },
          display: input.username,
        },
        type: { system: auditSystems.entityType, code: '2', display: 'System Object' },
        role: { system: auditSystems.objectRole, code: '11', display: 'Security User Entity' },
        name: input.username,
        ...(detail.length > 0 ? { detail } : {}),
      },
    ],
  });
}
