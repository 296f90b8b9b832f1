import { forbidden, isOperationOutcomeError, type Resource, resourceTypeNames } from '@hospitium/fhir';
import type { FhirContext, FhirRequest, FhirResponse } from '../../fhir/types.js';
import type { AccessContext } from '../tokens/access-context.js';
import { type AccessRequest, describeRequest } from './access-request.js';
import { patientsNamedBySearch, patientsOf } from './patient-targets.js';
import { type Decision, decide, type EmergencyAccess, representatives } from './policy.js';
import { reachedTypes } from './reaching.js';
import { groupOf, roleGrant } from './role-permissions.js';
import { workflowRight } from './workflow-operations.js';

/** An allowed request: the decision, and the patients it was checked against (for the response check). */
export type Authorized = Extract<Decision, { allowed: true }>;

/** What `authorize` needs of the FHIR context. */
type AuthorizeContext = Pick<FhirContext, 'access' | 'repository' | 'patientAccess'>;

/**
 * Throws 403 (OperationOutcome naming what is missing) unless `ctx.access` may do `req`.
 * Scopes and roles are decided by `decide()`; when the roles allow the request only for related
 * patients, the target patient is found (the compartment owner, the patient a search is pinned
 * to, the loaded resource's patient, a written resource's patient) and checked against the care
 * relationships and break-the-glass grants. An emergency grant that allowed it is returned.
 */
export async function authorize(req: FhirRequest, ctx: AuthorizeContext): Promise<Authorized> {
  const access = ctx.access;
  if (access.kind === 'internal') return { allowed: true };
  const request = describeRequest(req);
  if (!request) return { allowed: true };
  const decision = decide(access, request);
  if (!decision.allowed) throw forbidden(decision.reason);
  if (decision.instanceOf !== undefined) await checkInstanceOf(request, decision.instanceOf, ctx);
  if (request.operation === 'everything' && checksResponses(access)) narrowEverything(req, access);
  const reachBound = checksResponses(access) && reachesPatientData(request, req.body, access);
  if (!decision.patientBound && !reachBound) return decision;
  const patients = decision.patientBound
    ? await targetPatients(req, request, ctx)
    : pinnedPatients(req, request);
  const emergency = await checkPatients(patients, ctx);
  return emergency ? { ...decision, emergency } : decision;
}

/**
 * Whether a staff user's search reaches patient data of relationship roles through
 * `_include`, `_revinclude`, `_has` or a chain; 403 when it reaches a type the roles may not
 * read at all.
 */
function reachesPatientData(request: AccessRequest, body: unknown, access: AccessContext): boolean {
  if (!request.interaction.startsWith('search')) return false;
  const staff = access.roles.filter((r) => r !== 'patient');
  let bound = false;
  for (const reach of reachedTypes(request, body)) {
    for (const type of reach.types.flatMap((t) => (t === '*' ? representatives() : [t]))) {
      const grant = roleGrant(staff, type, 'r');
      if (!grant.allowed) {
        throw forbidden(
          `'${reach.param}' reaches ${type} (${groupOf(type)} data), which the role${staff.length > 1 ? 's' : ''} ${staff.join(', ')} may not read`,
        );
      }
      if (grant.bound) bound = true;
    }
  }
  return bound;
}

/**
 * A staff user's `$everything` without `_type` returns the types the user's roles may read
 * (a nurse's view of the record leaves out claims): `_type` is set to them, so paging and
 * totals stay right. An explicit `_type` is kept; the response check refuses types outside the roles.
 */
function narrowEverything(req: FhirRequest, access: AccessContext): void {
  if (req.query.has('_type')) return;
  const staff = access.roles.filter((r) => r !== 'patient');
  readableTypes ??= new Map();
  const key = [...staff].sort().join(',');
  let types = readableTypes.get(key);
  if (!types) {
    types = resourceTypeNames()
      .filter((t) => roleGrant(staff, t, 'r').allowed)
      .join(',');
    readableTypes.set(key, types);
  }
  req.query.set('_type', types);
}

let readableTypes: Map<string, string> | undefined;

/** The patients an otherwise unbound search (of Patient, Appointment …) is pinned to, for a parameter reaching patient data. */
function pinnedPatients(req: FhirRequest, request: AccessRequest): string[] {
  const pinned =
    request.compartment?.resourceType === 'Patient'
      ? [request.compartment.id]
      : request.resourceType === 'Patient'
        ? idsOf(request.query.getAll('_id'))
        : patientsNamedBySearch(request, req.body);
  if (pinned && pinned.length > 0) return pinned;
  throw forbidden(
    'This search reaches clinical data (_include, _revinclude, _has or a chain); clinical roles may do that only for one patient in their care: pin it with Patient?_id={id} or patient={id}',
  );
}

function idsOf(values: readonly string[]): string[] | undefined {
  const ids = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return values.length === 1 && ids.length > 0 ? ids : undefined;
}

/** True for tokens whose responses are checked resource by resource (staff users). */
export function checksResponses(access: AccessContext): boolean {
  return access.kind === 'user' && access.roles.some((r) => r !== 'patient');
}

/**
 * The safety net behind `_include`, `_revinclude`, history and `$everything`: every resource a
 * staff user's response carries must be of a type the user's roles may read and, for patient
 * data of relationship roles, belong to a patient the user may see. Throws 403 otherwise (the
 * whole response is refused: nothing partial). `cachedOnly`: inside a transaction, where no
 * other statement may run, only patients already checked count.
 */
export async function checkResponse(
  response: FhirResponse,
  ctx: AuthorizeContext,
): Promise<EmergencyAccess | undefined> {
  if (!checksResponses(ctx.access) || response.status >= 300 || response.body === undefined) return undefined;
  const body = typeof response.body === 'string' ? (JSON.parse(response.body) as Resource) : response.body;
  const resources =
    body.resourceType === 'Bundle'
      ? ((body as { entry?: { resource?: Resource }[] }).entry ?? []).flatMap((e) =>
          e.resource ? [e.resource] : [],
        )
      : [body];
  const staff = ctx.access.roles.filter((r) => r !== 'patient');
  const patients = new Set<string>();
  for (const resource of resources) {
    if (resource.resourceType === 'OperationOutcome') continue;
    const grant = roleGrant(staff, resource.resourceType, 'r');
    if (!grant.allowed) {
      throw forbidden(
        `The response would include ${resource.resourceType} resources, which the role${staff.length > 1 ? 's' : ''} ${staff.join(', ')} may not read; leave them out of _include/_revinclude`,
      );
    }
    if (grant.bound) for (const p of patientsOf(resource)) patients.add(p);
  }
  if (patients.size > maxPatientsPerResponse) {
    throw forbidden(
      `The response would include data of ${patients.size} patients; clinical roles see one patient's data at a time: narrow the search to a patient (patient={id})`,
    );
  }
  return checkPatients([...patients], ctx, 'The response would include');
}

/** Distinct patients one response may be checked for before it is refused. */
const maxPatientsPerResponse = 20;

async function checkPatients(
  patients: readonly string[],
  ctx: AuthorizeContext,
  prefix = 'You have',
): Promise<EmergencyAccess | undefined> {
  if (patients.length === 0) return undefined;
  const service = ctx.patientAccess;
  if (!service) {
    throw forbidden('Patient data needs a care-relationship check, and this server has no database for it');
  }
  let emergency: EmergencyAccess | undefined;
  for (const patient of patients) {
    const relationship = await service.relationships.find(ctx.access, patient);
    if (!relationship) {
      const lead =
        prefix === 'You have'
          ? `You have no care relationship with Patient/${patient}`
          : `${prefix} data of Patient/${patient}, with whom you have no care relationship`;
      throw forbidden(
        `${lead} (care team, unit or encounter). In an emergency, state a reason with POST [base]/Patient/${patient}/$break-the-glass for time-limited access, which is recorded and reviewed`,
      );
    }
    if (relationship.kind === 'emergency') emergency ??= relationship.emergency;
  }
  return emergency;
}

/** The patients a patient-bound request reaches, or a 403 when they cannot be known beforehand. */
async function targetPatients(
  req: FhirRequest,
  request: AccessRequest,
  ctx: AuthorizeContext,
): Promise<string[]> {
  const type = request.resourceType;
  if (request.interaction === 'operation' && workflowRight(request.operation)) {
    // A workflow operation acts on the instance's patient, or (type level, `$admit`) on the
    // patient its Parameters name.
    if (request.id) return loadedPatients(type, request.id, ctx);
    const named = parameterPatient(req.body);
    if (named) return [named];
    throw forbidden(`$${request.operation} names no patient to check your care relationship against`);
  }
  if (request.compartment) {
    if (request.compartment.resourceType === 'Patient') return [request.compartment.id];
    throw forbidden(
      `Clinical roles reach patient data through the patient: use Patient/{id}/${type === '*' ? '$everything' : type} instead of ${request.compartment.resourceType}/${request.compartment.id}`,
    );
  }
  switch (request.interaction) {
    case 'read':
    case 'vread':
    case 'history-instance':
    case 'delete':
      return loadedPatients(type, request.id, ctx);
    case 'update':
    case 'patch': {
      const current = await loadedPatients(type, request.id, ctx);
      return [...current, ...bodyPatients(req.body)];
    }
    case 'create':
      return bodyPatients(req.body);
    case 'search-type': {
      const named = patientsNamedBySearch(request, req.body);
      if (named) return named;
      throw forbidden(
        `Clinical roles search ${type} for one patient in their care at a time: add patient={id} (or search Patient/{id}/${type}, or use Patient/{id}/$everything)`,
      );
    }
    default:
      throw forbidden(
        `Clinical roles reach patient data one patient at a time; ${request.interaction === 'operation' ? `$${request.operation}` : request.interaction} on ${type === '*' ? 'all types' : type} cannot be narrowed to a patient`,
      );
  }
}

/** The patients of the stored resource (none when it does not exist: the handler answers 404/410). */
/**
 * A patient-context read by id: the stored resource must be in the patient's compartment, else
 * 403 (nothing of it is sent; ids are opaque UUIDs). A missing or deleted resource is left to the
 * read, which answers 404 / 410.
 */
async function checkInstanceOf(
  request: AccessRequest,
  patient: string,
  ctx: AuthorizeContext,
): Promise<void> {
  let resource: Resource;
  try {
    resource = await ctx.repository.readResource(request.resourceType, request.id as string);
  } catch (err) {
    if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) return;
    throw err;
  }
  if (!patientsOf(resource).includes(patient)) {
    throw forbidden(
      `${request.resourceType}/${request.id} is not in the record of Patient/${patient}, the only patient this token reaches`,
    );
  }
}

async function loadedPatients(
  type: string,
  id: string | undefined,
  ctx: AuthorizeContext,
): Promise<string[]> {
  if (id === undefined) return [];
  try {
    return patientsOf(await ctx.repository.readResource(type, id));
  } catch (err) {
    if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) return [];
    throw err;
  }
}

function bodyPatients(body: unknown): string[] {
  if (typeof body !== 'object' || body === null || typeof (body as Resource).resourceType !== 'string')
    return [];
  return patientsOf(body as Resource);
}

/** The patient a Parameters body names (`patient` as valueReference `Patient/{id}`). */
function parameterPatient(body: unknown): string | undefined {
  const parameters = (body as { resourceType?: unknown; parameter?: unknown } | undefined)?.parameter;
  if (
    (body as { resourceType?: unknown } | undefined)?.resourceType !== 'Parameters' ||
    !Array.isArray(parameters)
  )
    return undefined;
  const p = parameters.find((x: { name?: unknown }) => x?.name === 'patient') as
    | { valueReference?: { reference?: unknown } }
    | undefined;
  const ref = p?.valueReference?.reference;
  return typeof ref === 'string' && /^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(ref) ? ref.slice(8) : undefined;
}
