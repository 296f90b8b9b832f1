import { patientCompartmentParams } from '@hospitium/fhir';
import type { Permission, ResourceScope } from '../smart/scopes.js';
import type { AccessContext } from '../tokens/access-context.js';
import type { AccessRequest, Interaction } from './access-request.js';
import { patientsNamedBySearch } from './patient-targets.js';
import { groupOf, roleGrant, type StaffRole, type TypeGroup, typeGroups } from './role-permissions.js';
import { type WorkflowRight, workflowRight } from './workflow-operations.js';

/**
 * The outcome of one access decision; a denial says why, in words for the OperationOutcome.
 * `patientBound`: the roles allow it only for patients the user is related to (care team,
 * unit, encounter) or holds a break-the-glass grant for; `authorize()` checks that against the
 * database. `emergency`: the request is allowed by a break-the-glass grant (set by `authorize()`).
 */
export type Decision =
  | { allowed: true; patientBound?: boolean; emergency?: EmergencyAccess; instanceOf?: string }
  | { allowed: false; reason: string };

/** A live break-the-glass grant that allowed a request (for the audit record: purposeOfUse BTG). */
export interface EmergencyAccess {
  grantId: string;
  patient: string;
  reason: string;
  expiresAt: string;
}

/**
 * The SMART permission each interaction needs (SMART App Launch 2 §scopes): reading one
 * resource is `r`, anything that lists resources is `s`.
 */
export const permissionFor: Record<Exclude<Interaction, 'operation'>, Permission> = {
  read: 'r',
  vread: 'r',
  'history-instance': 'r',
  'history-type': 's',
  'history-system': 's',
  'search-type': 's',
  'search-system': 's',
  'search-compartment': 's',
  create: 'c',
  update: 'u',
  patch: 'u',
  delete: 'd',
};

/** Operations and the permissions they need on every type they touch. */
const operationPermissions: Record<string, readonly Permission[]> = {
  everything: ['r', 's'],
  export: ['r', 's'],
  'who-viewed': ['s'],
  // Patient/$match lists patients like a search (registration finds before it creates).
  match: ['s'],
};

/** Search parameters that reach beyond the searched type (and so beyond a patient's compartment). */
const reachingParameter = (name: string): boolean =>
  name === '_include' ||
  name === '_revinclude' ||
  name.startsWith('_include:') ||
  name.startsWith('_revinclude:') ||
  name.startsWith('_has:') ||
  (name.includes('.') && !name.startsWith('_'));

/**
 * The one access decision for FHIR requests. Today it reads the token's SMART scopes; role
 * policies, care-team compartments and break-the-glass extend this function (and its table
 * tests) rather than adding checks elsewhere.
 *
 * - `system/` and `user/` scopes allow the interaction on the types they name.
 * - `patient/` scopes need a patient in the launch context and reach only that patient:
 *   `Patient/{id}` itself, its compartment (`Patient/{id}/Observation`), `$everything` and
 *   type searches pinned to it alone (`Observation?patient={id}`), without `_include`, `_revinclude`, `_has` or chains, which could step outside it.
 * - A granular scope (`?category=…`) allows only searches that carry its parameters.
 * - `$export` needs `system/` or `user/` read and search on every exported type.
 * - `Patient/{id}/$who-viewed` needs search on AuditEvent (it reads the audit trail).
 * - `Patient/$match` needs search on Patient (it lists patients like a search).
 */
export function decide(access: AccessContext, request: AccessRequest): Decision {
  const workflow =
    request.interaction === 'operation' && request.resourceType !== '*'
      ? workflowRight(request.operation)
      : undefined;
  if (workflow) return decideWorkflow(access, request, workflow);
  const needed: readonly Permission[] =
    request.interaction === 'operation'
      ? (operationPermissions[request.operation ?? ''] ?? [request.id ? 'r' : 's'])
      : [permissionFor[request.interaction]];
  const types =
    request.operation === 'everything'
      ? ['*']
      : request.operation === 'who-viewed'
        ? ['AuditEvent']
        : request.types && request.types.length > 0
          ? request.types
          : [request.resourceType];

  const candidates = access.resourceScopes.filter((s) => usable(s, request));
  let instanceOf: string | undefined;
  for (const type of types) {
    for (const permission of needed) {
      const granting = candidates.filter(
        (s) => (s.resourceType === '*' || s.resourceType === type) && s.permissions.has(permission),
      );
      if (granting.length === 0) {
        return deny(`The access token's scopes do not allow ${describe(request, type, permission)}`);
      }
      if (granting.every((s) => s.context === 'patient')) {
        const confined = patientConfinement(access, request);
        if (confined !== undefined) {
          instanceOf = ownInstanceRead(access.patient, request);
          if (instanceOf === undefined) return deny(confined);
        }
      }
    }
  }
  const decision: Decision =
    access.kind !== 'user' ? { allowed: true } : decideRoles(access, request, needed, types);
  return decision.allowed && instanceOf !== undefined ? { ...decision, instanceOf } : decision;
}

/**
 * The patient whose compartment must hold the resource a patient-context token reads by id
 * (`Observation/1`, the way SMART apps follow references), or undefined when the request is not
 * such a read. Only `read`: an older version (vread, history) may have belonged to someone else.
 */
function ownInstanceRead(patient: string | undefined, request: AccessRequest): string | undefined {
  if (!patient || request.interaction !== 'read' || !request.id || request.compartment) return undefined;
  if (request.resourceType === 'Patient' || patientCompartmentParams(request.resourceType).length === 0)
    return undefined;
  return patient;
}

/**
 * The role half of a `user` token's right (scope AND role). A portal patient reaches its own
 * compartment only; staff get what their roles' groups allow, and relationship roles only for
 * related patients (`patientBound`). `*` (system-level interactions, `$export` without
 * `_type`) needs the permission on every group.
 */
function decideRoles(
  access: AccessContext,
  request: AccessRequest,
  needed: readonly Permission[],
  types: readonly string[],
): Decision {
  const staff = access.roles.filter((r) => r !== 'patient');
  if (staff.length === 0) {
    if (!access.roles.includes('patient')) {
      return deny(
        'This user has no role; an administrator must assign one before the user can use the FHIR API',
      );
    }
    const confined = portalConfinement(access, request);
    if (confined === undefined) return { allowed: true };
    const instanceOf = ownInstanceRead(portalPatient(access), request);
    return instanceOf === undefined ? deny(confined) : { allowed: true, instanceOf };
  }
  // `$export` without `_type` exports every type of the compartments, whatever its level.
  const asked = request.operation === 'export' && !request.types ? ['*'] : types;
  const checked =
    request.operation === 'everything'
      ? [...typeGroups.demographics, 'Condition', 'Observation', 'MedicationRequest']
      : asked.flatMap((t) => (t === '*' ? representatives() : [t]));
  let patientBound = request.operation === 'everything';
  for (const type of checked) {
    for (const permission of needed) {
      const grant = roleGrant(staff, type, permission);
      if (!grant.allowed) {
        const what = request.interaction === 'operation' ? `$${request.operation}` : request.interaction;
        const on = asked.includes('*')
          ? `all resource types (${groupOf(type)} data)`
          : `${type} (${groupOf(type)} data)`;
        return deny(
          `The role${staff.length > 1 ? 's' : ''} ${staff.join(', ')} do${staff.length > 1 ? '' : 'es'} not allow ${what} on ${on}`,
        );
      }
      if (grant.bound) patientBound = true;
    }
  }
  return patientBound ? { allowed: true, patientBound } : { allowed: true };
}

/**
 * A workflow operation (`Encounter/$admit`, `Location/{id}/$mark-clean`, …): the scopes must allow
 * every type it writes or reads, and a user needs one of the operation's roles
 * (workflow-operations.ts); relationship-bound when every such role the user holds is bound.
 */
function decideWorkflow(access: AccessContext, request: AccessRequest, workflow: WorkflowRight): Decision {
  const what = `$${request.operation}`;
  const candidates = access.resourceScopes.filter((s) => usable(s, request));
  for (const [type, permissions] of Object.entries(workflow.scopes)) {
    for (const permission of permissions) {
      const granting = candidates.filter(
        (s) => (s.resourceType === '*' || s.resourceType === type) && s.permissions.has(permission),
      );
      if (granting.length === 0 || granting.every((s) => s.context === 'patient')) {
        return deny(`The access token's scopes do not allow ${what} (needs '${permission}' on ${type})`);
      }
    }
  }
  if (access.kind !== 'user') return { allowed: true };
  const staff = access.roles.filter((r): r is StaffRole => r !== 'patient');
  const allowed = staff.filter((r) => workflow.roles.includes(r));
  if (allowed.length === 0) {
    return deny(
      `${what} is for the role${workflow.roles.length > 1 ? 's' : ''} ${workflow.roles.join(', ')}; this user has ${staff.length ? staff.join(', ') : 'no staff role'}`,
    );
  }
  return allowed.every((r) => workflow.bound.includes(r))
    ? { allowed: true, patientBound: true }
    : { allowed: true };
}

/** One type per group: the role check of a request on every type. */
export function representatives(): string[] {
  return (Object.keys(typeGroups) as TypeGroup[]).map((g) => typeGroups[g][0] ?? 'Organization');
}

/** The portal account's own patient: its launch patient, which must be its `fhirUser` when it has one. */
function portalPatient(access: AccessContext): string | undefined {
  const own = access.fhirUser?.startsWith('Patient/') ? access.fhirUser.slice('Patient/'.length) : undefined;
  const patient = access.patient ?? own;
  return patient && (own === undefined || patient === own) ? patient : undefined;
}

/** A portal patient (role `patient`, fhirUser `Patient/{id}`): the same confinement as a patient/ scope. */
function portalConfinement(access: AccessContext, request: AccessRequest): string | undefined {
  const patient = portalPatient(access);
  if (!patient) {
    return 'A patient portal account reaches only its own record, and this token names no patient of its own';
  }
  return patientConfinement({ ...access, patient }, request);
}

/** A scope may count for this request: granular ones only on searches carrying their filter; export never from patient scopes. */
function usable(scope: ResourceScope, request: AccessRequest): boolean {
  if (request.operation === 'export' && scope.context === 'patient') return false;
  if (!scope.restriction) return true;
  const searching = request.interaction.startsWith('search');
  return searching && scope.restriction.every(([k, v]) => request.query.getAll(k).includes(v));
}

/** Why a patient-scoped request leaves the patient's compartment, or undefined when it stays inside. */
function patientConfinement(access: AccessContext, request: AccessRequest): string | undefined {
  const patient = access.patient;
  if (!patient) return 'A patient/ scope needs a patient in the launch context, and this token has none';
  const here = `Patient/${patient}`;
  const reaching = [...request.query.keys()].find(reachingParameter);
  if (reaching) return `A patient-context token cannot use '${reaching}' (it could reach outside ${here})`;
  const owner =
    request.compartment ??
    (request.resourceType === 'Patient' ? { resourceType: 'Patient', id: request.id } : undefined);
  const inside = owner?.resourceType === 'Patient' && owner.id === patient;
  if (inside && request.interaction !== 'create') return undefined;
  // `Observation?patient={id}` is how SMART apps (fhirclient's `client.patient.request`) search a
  // patient's data; pinned to this patient alone it is a subset of the compartment search.
  const pinned = request.interaction === 'search-type' ? patientsNamedBySearch(request) : undefined;
  if (pinned?.length === 1 && pinned[0] === patient) return undefined;
  return `A patient-context token reaches only ${here} and its compartment (${here}/{type}, ${here}/$everything, {type}?patient=${patient})`;
}

function describe(request: AccessRequest, type: string, permission: Permission): string {
  const what = request.interaction === 'operation' ? `$${request.operation}` : request.interaction;
  const on = type === '*' ? 'all resource types' : type;
  return `${what} on ${on} (needs a scope with '${permission}' for ${on})`;
}

function deny(reason: string): Decision {
  return { allowed: false, reason };
}
