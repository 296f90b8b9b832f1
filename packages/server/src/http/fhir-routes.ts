import { badRequest, notSupported } from '@hospitium/fhir';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../audit/recorder.js';
import { requestAccessOrAnonymous } from '../auth/tokens/request-access.js';
import { handleFhirRequest } from '../fhir/router.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir/types.js';
import { acceptsJson, fhirJsonContentType, isJsonFormat } from './content-types.js';

/** Where the FHIR API is mounted. */
export const fhirPrefix = '/fhir';

/**
 * Binds the FHIR router under `/fhir`: every method and path goes to `handleFhirRequest`
 * (which answers 404/405 itself), so this adapter is the only code that knows Fastify. The
 * request's access context (from its bearer token) travels in the context, and with `recorder`
 * every request is audited from the client's network address.
 */
export function registerFhirRoutes(
  app: FastifyInstance,
  ctx: Omit<FhirContext, 'access' | 'audit'>,
  recorder?: AuditRecorder,
): void {
  // Returning the reply tells Fastify the response is on its way; an async handler that resolves
  // to undefined would let Fastify send an empty body while an onSend hook (compression) still
  // holds the payload.
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const fhirRequest = toFhirRequest(request);
    const response = await handleFhirRequest(fhirRequest, {
      ...ctx,
      access: requestAccessOrAnonymous(request),
      ...(recorder ? { audit: { recorder, networkAddress: request.ip } } : {}),
    });
    return send(reply, response, request.method === 'HEAD');
  };
  app.all(fhirPrefix, handler);
  app.all(`${fhirPrefix}/*`, handler);
}

/** The framework-free request: decoded path segments after `/fhir`, query multi-map, headers, body. */
export function toFhirRequest(request: FastifyRequest): FhirRequest {
  const url = request.url;
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).slice(url.indexOf(fhirPrefix) + fhirPrefix.length);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw badRequest(`Malformed URL path '${path}'`);
      }
    });

  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  checkResponseFormat(query, headers.accept);
  checkBodyHasType(request, headers);
  return { method: request.method.toUpperCase(), segments, query, headers, body: request.body };
}

/** JSON is the only format: `_format=xml` or an Accept without JSON → 406. */
function checkResponseFormat(query: URLSearchParams, accept: string | undefined): void {
  const format = query.get('_format');
  if (format !== null && !isJsonFormat(format)) {
    throw notSupported(`_format '${format}' is not supported; this server speaks application/fhir+json`, 406);
  }
  if (accept && !acceptsJson(accept)) {
    throw notSupported(
      `Accept '${accept}' cannot be satisfied; this server speaks application/fhir+json`,
      406,
    );
  }
}

/** A body without Content-Type would otherwise be silently dropped; refuse it with 415. */
function checkBodyHasType(request: FastifyRequest, headers: Record<string, string | undefined>): void {
  const length = Number(headers['content-length'] ?? 0);
  const hasBody = length > 0 || headers['transfer-encoding'] !== undefined;
  if (hasBody && !headers['content-type'] && request.body === undefined) {
    throw notSupported('The request has a body but no Content-Type; send application/fhir+json', 415);
  }
}

function send(reply: FastifyReply, response: FhirResponse, head: boolean): FastifyReply {
  void reply.code(response.status).headers(response.headers);
  if (response.body === undefined || response.status === 204 || response.status === 304) {
    return reply.send();
  }
  void reply.type(fhirJsonContentType);
  return reply.send(
    head ? undefined : typeof response.body === 'string' ? response.body : JSON.stringify(response.body),
  );
}
