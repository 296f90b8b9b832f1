import type { Database } from '@hospitium/db';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { authorizeMessageStore } from '../../../auth/policy/message-store.js';
import { requestAccess } from '../../../auth/tokens/request-access.js';
import type { Interfaces } from '../interfaces.js';
import { type Hl7ApiResponse, listMessages, readMessage, removeMessage, replayMessage } from './handlers.js';

/**
 * The message-store API, all under `/hl7` in this one function so it can be put behind
 * authentication as a unit: `GET /hl7/messages`, `GET /hl7/messages/:id`,
 * `POST /hl7/messages/:id/$replay`, `DELETE /hl7/messages/:id`. The bearer hook requires a token on `/hl7`; each route checks
 * the token may read (or replay) the store. Errors are OperationOutcomes (the app's error hook).
 */
export function registerHl7Routes(app: FastifyInstance, interfaces: Interfaces, db: Database): void {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/hl7')) return;
    const action = request.method === 'POST' ? 'replay' : request.method === 'DELETE' ? 'delete' : 'read';
    authorizeMessageStore(requestAccess(request), action);
  });
  app.get('/hl7/messages', async (request, reply) => {
    const query = new URLSearchParams(
      request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '',
    );
    return send(reply, await listMessages(db, query));
  });
  app.get<{ Params: { id: string } }>('/hl7/messages/:id', async (request, reply) =>
    send(reply, await readMessage(db, request.params.id)),
  );
  app.post<{ Params: { id: string } }>('/hl7/messages/:id/$replay', async (request, reply) =>
    send(reply, await replayMessage(interfaces, db, request.params.id)),
  );
  app.delete<{ Params: { id: string } }>('/hl7/messages/:id', async (request, reply) =>
    send(reply, await removeMessage(db, request.params.id)),
  );
}

function send(reply: FastifyReply, response: Hl7ApiResponse): FastifyReply {
  if (response.body === undefined) return reply.code(response.status).send();
  return reply.code(response.status).type('application/json').send(JSON.stringify(response.body));
}
