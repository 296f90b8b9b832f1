import { toOperationOutcomeError } from '@hospitium/fhir';
import type { FastifyRequest } from 'fastify';
import { anonymousAccess } from '../auth/tokens/access-context.js';
import { buildRestEvent } from './build-event.js';
import { auditSystems, securityAlertType } from './codes.js';
import { buildDataAccessEvents } from './data-access-event.js';
import { classifyRequest, namedPatient } from './interaction.js';
import type { AuditRecorder } from './recorder.js';

/**
 * Records a FHIR request refused before it reached the router (no valid bearer token → 401):
 * outcome 4, an unidentified requestor with the network address, the interaction the URL
 * names. The other protected paths (`/hl7` message store, `/auth/users`,
 * `/auth/emergency-access`) are not FHIR interactions: their refusals are Security Alerts
 * (DICOM 110113) naming the method and path (never the query, which could carry anything).
 * A failure to record is logged, never turned into another error.
 */
export async function recordRefusedRequest(
  recorder: AuditRecorder,
  request: FastifyRequest,
  err: unknown,
): Promise<void> {
  const url = request.url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path !== '/fhir' && !path.startsWith('/fhir/')) {
    await recordRefusedAccess(recorder, request, path, err);
    return;
  }
  const segments = path
    .slice('/fhir'.length)
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  const interaction = classifyRequest(request.method.toUpperCase(), segments, undefined);
  if (!interaction) return;
  const failure = toOperationOutcomeError(err);
  const patient = namedPatient(segments);
  const event = buildRestEvent({
    requester: { access: anonymousAccess, networkAddress: request.ip },
    interaction: interaction.interaction,
    operation: interaction.operation,
    action: interaction.action,
    status: failure.status,
    outcomeDesc: failure.message,
    patients: patient ? [patient] : [],
    objects: interaction.target ? [interaction.target] : [],
    observer: recorder.observer,
  });
  try {
    await recorder.record(event);
  } catch (error) {
    request.log.error({ err: error }, 'could not record the AuditEvent of a refused request');
  }
}

/** A refused request to a protected path outside `/fhir`: a Security Alert with the path. */
async function recordRefusedAccess(
  recorder: AuditRecorder,
  request: FastifyRequest,
  path: string,
  err: unknown,
): Promise<void> {
  const failure = toOperationOutcomeError(err);
  const [event] = buildDataAccessEvents({
    requester: { access: anonymousAccess, networkAddress: request.ip },
    type: securityAlertType,
    activity: 'unauthenticated',
    action: 'E',
    status: failure.status,
    outcomeDesc: failure.message,
    patients: [],
    objects: [{ system: auditSystems.path, value: `${request.method.toUpperCase()} ${path.slice(0, 500)}` }],
    observer: recorder.observer,
  });
  try {
    await recorder.record(event);
  } catch (error) {
    request.log.error({ err: error }, 'could not record the AuditEvent of a refused request');
  }
}
