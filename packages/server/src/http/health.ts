import { operationOutcome } from '@hospitium/fhir';
import type { FastifyInstance } from 'fastify';
import { fhirJsonContentType } from './content-types.js';

/**
 * `GET /healthz` — liveness: 200 as soon as the process serves.
 * `GET /readyz` — readiness: 200 when `ready()` says the database answers and migrations are
 * current, else 503 with an OperationOutcome (a load balancer stops routing here).
 */
export function registerHealthRoutes(app: FastifyInstance, ready: () => Promise<boolean>): void {
  app.get('/healthz', async (_request, reply) => reply.code(200).send({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    let ok = false;
    try {
      ok = await ready();
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
    }
    if (ok) return reply.code(200).send({ status: 'ready' });
    const outcome = operationOutcome([
      {
        severity: 'error',
        code: 'exception',
        details: { text: 'Not ready: the database is unavailable or not migrated' },
      },
    ]);
    return reply.code(503).type(fhirJsonContentType).send(JSON.stringify(outcome));
  });
}
