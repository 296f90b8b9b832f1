import type { FastifyInstance } from 'fastify';

/**
 * One log line per request, written when the response is sent: method, path, status, duration
 * and request id. The query string is left out on purpose: search parameters carry names, birth
 * dates and MRNs (`Patient?name=…&birthdate=…`), and patient data does not belong in logs.
 * Fastify's own pair of "incoming request" / "request completed" lines is turned off in
 * `createApp` (`disableRequestLogging`). Health probes log at debug so they do not drown the rest.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?', 1)[0];
    const line = {
      reqId: request.id,
      method: request.method,
      path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (path === '/healthz' || path === '/readyz') request.log.debug(line, 'request');
    else if (reply.statusCode >= 500) request.log.error(line, 'request');
    else request.log.info(line, 'request');
  });
}
