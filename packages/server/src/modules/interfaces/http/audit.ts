import { toOperationOutcomeError } from '@hospitium/fhir';
import type { FastifyRequest } from 'fastify';
import { auditSystems, patientRecordEventType, queryEventType } from '../../../audit/codes.js';
import { type AccessedObject, buildDataAccessEvents } from '../../../audit/data-access-event.js';
import { resolvePatientIdentifiers } from '../../../audit/patient-identifiers.js';
import type { AuditRecorder } from '../../../audit/recorder.js';
import { requestAccess } from '../../../auth/tokens/request-access.js';
import type { Hl7ApiResponse } from './handlers.js';

/** The message-store requests, as the audit trail names them. */
export type MessageStoreActivity = 'hl7-list' | 'hl7-read' | 'hl7-replay' | 'hl7-delete';

interface MessageSummary {
  id?: string;
  messageType?: string;
  patientIds?: string[];
}

/** The messages an answer shows: the list's page, or the one message read or replayed. */
function messagesOf(response: Hl7ApiResponse | undefined): MessageSummary[] {
  const body = response?.body as { messages?: MessageSummary[]; id?: string } | undefined;
  if (!body || typeof body !== 'object') return [];
  if (Array.isArray(body.messages)) return body.messages;
  return typeof body.id === 'string' ? [body as MessageSummary] : [];
}

/**
 * Records one message-store request (the store holds raw HL7 v2: identifiers, results,
 * diagnoses): a list is a Query (110112) naming its query and every patient on the page; a read
 * or replay a Patient Record access (110110) naming the message and its patients; a delete (action
 * D) names the message only, since it is gone. Patients are
 * named by their FHIR Patient when a Patient carries the message's identifier, else by the
 * identifier. Refusals (403, 404, 400) are recorded with outcome 4. Resolves once stored.
 */
export async function recordMessageStoreAccess(
  recorder: AuditRecorder,
  request: FastifyRequest,
  activity: MessageStoreActivity,
  outcome: { response: Hl7ApiResponse } | { error: unknown },
): Promise<void> {
  const response = 'response' in outcome ? outcome.response : undefined;
  const failure = 'error' in outcome ? toOperationOutcomeError(outcome.error) : undefined;
  const isRead = activity === 'hl7-list' || activity === 'hl7-read';
  if (!failure && isRead && !recorder.auditReads) return;
  const messages = messagesOf(response);
  const { ids, unresolved } = await resolvePatientIdentifiers(
    recorder.repository,
    messages.flatMap((m) => m.patientIds ?? []),
  );
  const params = (request.params ?? {}) as { id?: string };
  const objects: AccessedObject[] =
    activity === 'hl7-list'
      ? []
      : [
          {
            system: auditSystems.hl7Message,
            value: messages[0]?.id ?? params.id ?? '',
            detail: { messageType: messages[0]?.messageType ?? '' },
          },
        ].filter((o) => o.value !== '');
  const q = request.url.indexOf('?');
  const events = buildDataAccessEvents({
    requester: { access: requestAccess(request), networkAddress: request.ip },
    type: activity === 'hl7-list' ? queryEventType : patientRecordEventType,
    activity,
    action: activity === 'hl7-read' ? 'R' : activity === 'hl7-delete' ? 'D' : 'E',
    status: failure?.status ?? response?.status ?? 200,
    ...(failure ? { outcomeDesc: failure.message } : {}),
    patients: ids,
    patientIdentifiers: unresolved,
    objects,
    ...(activity === 'hl7-list' && q >= 0 ? { query: request.url.slice(q + 1) } : {}),
    observer: recorder.observer,
  });
  await Promise.all(events.map((event) => recorder.record(event)));
}
