import { badRequest, forbidden, type Resource } from '@hospitium/fhir';
import { hasClinicalRole } from '../../auth/policy/role-permissions.js';
import { checkId } from '../resource-id.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import type { FhirOperation } from './operation.js';

/**
 * `Patient/{id}/$break-the-glass`: emergency access to a patient outside the user's care
 * relationships. The user states why; the grant lasts a limited time (one hour by default),
 * every request under it is marked as emergency access (purposeOfUse BTG), and every grant
 * waits for review (`GET /auth/emergency-access?reviewed=false`).
 */
const definition: FhirOperation['definition'] = {
  resourceType: 'OperationDefinition',
  id: 'Patient-break-the-glass',
  url: 'http://hospitium.org/fhir/OperationDefinition/Patient-break-the-glass',
  name: 'PatientBreakTheGlass',
  title: 'Emergency access to a patient record',
  status: 'active',
  kind: 'operation',
  code: 'break-the-glass',
  affectsState: true,
  resource: ['Patient'],
  system: false,
  type: false,
  instance: true,
  parameter: [
    { name: 'reason', use: 'in', min: 1, max: '1', type: 'string' },
    { name: 'grant', use: 'out', min: 1, max: '1', type: 'id' },
    { name: 'expires', use: 'out', min: 1, max: '1', type: 'instant' },
  ],
};

/** The stated reason, from a Parameters body. */
function parseReason(body: unknown, minLength: number): string {
  const parameters =
    typeof body === 'object' && body !== null && (body as Resource).resourceType === 'Parameters'
      ? ((body as { parameter?: unknown }).parameter ?? [])
      : undefined;
  if (!Array.isArray(parameters)) {
    throw badRequest(
      '$break-the-glass takes a Parameters resource with a reason (valueString)',
      'Parameters',
    );
  }
  const reasons = parameters.filter((p: { name?: unknown }) => p?.name === 'reason');
  if (reasons.length !== 1 || typeof reasons[0].valueString !== 'string') {
    throw badRequest(
      '$break-the-glass needs exactly one reason parameter (valueString) saying why this record must be opened',
      'Parameters.parameter',
    );
  }
  const reason = (reasons[0].valueString as string).trim();
  const words = new Set(
    reason
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => /\p{L}{2}/u.test(w)),
  );
  if (reason.length < minLength || words.size < 3) {
    throw badRequest(
      `The reason must say in words why the record is needed: at least ${minLength} characters and three different words (e.g. 'Unconscious patient in ED, no care team yet')`,
      'Parameters.parameter.valueString',
    );
  }
  return reason;
}

async function breakTheGlass(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const [, id] = req.segments;
  checkId(id);
  const access = ctx.access;
  if (access.kind !== 'user' || !hasClinicalRole(access.roles)) {
    throw forbidden(
      'Break-the-glass is for signed-in clinical staff (nurse, physician, pharmacist, lab or radiology tech)',
    );
  }
  const service = ctx.patientAccess;
  if (!service) throw forbidden('Break-the-glass needs the server database, which this server does not have');
  const reason = parseReason(req.body, service.minReasonLength);
  await ctx.repository.readResource('Patient', id); // 404 / 410 for a patient that does not exist
  const grant = await service.grants.grant(access.subject, id, reason, service.emergencyDurationSeconds);
  service.relationships.forget(access.subject);
  ctx.logger.warn({ grant: grant.id, user: access.subject, patient: id }, 'break-the-glass access granted');
  const body: Resource = {
    resourceType: 'Parameters',
    parameter: [
      { name: 'grant', valueId: grant.id },
      { name: 'patient', valueReference: { reference: `Patient/${id}` } },
      { name: 'reason', valueString: grant.reason },
      { name: 'expires', valueInstant: grant.expiresAt },
    ],
  } as Resource;
  return {
    status: 201,
    headers: {},
    body,
    emergency: { grantId: grant.id, patient: id, reason: grant.reason, expiresAt: grant.expiresAt },
  };
}

export const patientBreakTheGlass: FhirOperation = {
  definition,
  methods: ['POST'],
  handler: breakTheGlass,
};
