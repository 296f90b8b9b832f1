import {
  badRequest,
  isOperationOutcomeError,
  notFound,
  notSupported,
  OperationOutcomeError,
  operationOutcome,
  payloadTooLarge,
  serverError,
} from '@hospitium/fhir';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fhirJsonContentType } from './content-types.js';

function fastifyCode(err: unknown): { code?: string; statusCode?: number; message: string } {
  if (typeof err !== 'object' || err === null) return { message: String(err) };
  const e = err as { code?: unknown; statusCode?: unknown; message?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    statusCode: typeof e.statusCode === 'number' ? e.statusCode : undefined,
    message: typeof e.message === 'string' ? e.message : 'Request failed',
  };
}

/**
 * Any failure as an OperationOutcomeError: ours pass through; Fastify's (body too large,
 * unsupported media type, bad URL …) map to their FHIR outcome; anything else is a 500 that
 * keeps the original as `cause` for the log and shows the client no details.
 */
export function toHttpOutcome(
  err: unknown,
  request: FastifyRequest,
  bodyLimit: number,
): OperationOutcomeError {
  if (isOperationOutcomeError(err)) return err;
  const { code, statusCode, message } = fastifyCode(err);
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge(`The request body is larger than the limit of ${bodyLimit} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return notSupported(
        `Content-Type '${request.headers['content-type'] ?? ''}' is not supported; send application/fhir+json`,
        415,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('The request body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badRequest('Content-Length does not match the length of the request body');
    case 'FST_ERR_BAD_URL':
      return badRequest(`Malformed URL '${request.url}'`);
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new OperationOutcomeError(
        operationOutcome([
          { severity: 'error', code: 'too-long', details: { text: 'URL path is too long' } },
        ]),
        { status: 414 },
      );
  }
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return new OperationOutcomeError(
      operationOutcome([{ severity: 'error', code: 'invalid', details: { text: message } }]),
      { status: statusCode },
    );
  }
  return serverError(err);
}

/** Sends an OperationOutcomeError, logging 5xx with its cause (never sent to the client). */
export function sendOutcome(
  err: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  bodyLimit: number,
): void {
  const e = toHttpOutcome(err, request, bodyLimit);
  // The path only: a query string carries patient data (see request-log.ts).
  if (e.status >= 500)
    request.log.error({ err: e.cause ?? err }, `${request.method} ${request.url.split('?', 1)[0]} failed`);
  void reply.code(e.status).type(fhirJsonContentType).send(JSON.stringify(e.outcome));
}

/** One error hook and one not-found hook, so every 4xx and 5xx body is an OperationOutcome. */
export function registerErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err, request, reply) => sendOutcome(err, request, reply, bodyLimit));
  app.setNotFoundHandler((request, reply) =>
    sendOutcome(
      notFound(`No route for ${request.method} ${request.url.split('?')[0]}`),
      request,
      reply,
      bodyLimit,
    ),
  );
}
