import type { Database } from '@hospitium/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../../../audit/recorder.js';
import { authorizeMessageStore } from '../../../auth/policy/message-store.js';
import { requestAccess } from '../../../auth/tokens/request-access.js';
import type { Interfaces } from '../interfaces.js';
import { type MessageStoreActivity, recordMessageStoreAccess } from './audit.js';
import { type Hl7ApiResponse, listMessages, readMessage, removeMessage, replayMessage } from './handlers.js';

/**
 * The message-store API, all under `/hl7` in this one function so it can be put behind
 * authentication as a unit: `GET /hl7/messages`, `GET /hl7/messages/:id`,
 * `POST /hl7/messages/:id/$replay`, `DELETE /hl7/messages/:id`. The bearer hook requires a token on `/hl7`; each route checks
 * the token may read (or replay) the store. Errors are OperationOutcomes (the app's error hook).
 * With `recorder`, every request, refused ones included, writes an AuditEvent (`./audit.ts`)
 * before it is answered.
 */
export function registerHl7Routes(
  app: FastifyInstance,
  interfaces: Interfaces,
  db: Database,
  recorder?: AuditRecorder,
): void {
  /** Authorises, runs and records one request. */
  const audited = async (
    request: FastifyRequest,
    reply: FastifyReply,
    activity: MessageStoreActivity,
    work: () => Promise<Hl7ApiResponse>,
  ): Promise<FastifyReply> => {
    let response: Hl7ApiResponse;
    try {
      const action = activity === 'hl7-replay' ? 'replay' : activity === 'hl7-delete' ? 'delete' : 'read';
      authorizeMessageStore(requestAccess(request), action);
      response = await work();
    } catch (error) {
      if (recorder) await recordMessageStoreAccess(recorder, request, activity, { error });
      throw error;
    }
    if (recorder) await recordMessageStoreAccess(recorder, request, activity, { response });
    return send(reply, response);
  };
  app.get('/hl7/messages', async (request, reply) => {
    const query = new URLSearchParams(
      request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '',
    );
    return audited(request, reply, 'hl7-list', () => listMessages(db, query));
  });
  app.get<{ Params: { id: string } }>('/hl7/messages/:id', async (request, reply) =>
    audited(request, reply, 'hl7-read', () => readMessage(db, request.params.id)),
  );
  app.post<{ Params: { id: string } }>('/hl7/messages/:id/$replay', async (request, reply) =>
    audited(request, reply, 'hl7-replay', () => replayMessage(interfaces, db, request.params.id)),
  );
  app.delete<{ Params: { id: string } }>('/hl7/messages/:id', async (request, reply) =>
    audited(request, reply, 'hl7-delete', () => removeMessage(db, request.params.id)),
  );
}

function send(reply: FastifyReply, response: Hl7ApiResponse): FastifyReply {
  if (response.body === undefined) return reply.code(response.status).send();
  return reply.code(response.status).type('application/json').send(JSON.stringify(response.body));
}
