import { isOperationOutcomeError, unauthorized } from '@hospitium/fhir';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../../audit/recorder.js';
import { recordRefusedRequest } from '../../audit/refused-request.js';
import { setRequestAccess } from './request-access.js';
import type { TokenVerifier } from './verify.js';

/** `/fhir` paths anyone may read: the CapabilityStatement and SMART discovery. */
const publicFhirPaths = new Set(['/fhir/metadata', '/fhir/.well-known/smart-configuration']);

/**
 * True for URLs that need a token: the FHIR API, the HL7 v2 message store (`/hl7`), the
 * break-the-glass review (`/auth/emergency-access`) and user administration (`/auth/users`).
 */
export function needsToken(url: string): boolean {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/\/+$/, '');
  if (path === '/hl7' || path.startsWith('/hl7/')) return true;
  if (path === '/auth/emergency-access' || path.startsWith('/auth/emergency-access/')) return true;
  if (path === '/auth/users' || path.startsWith('/auth/users/')) return true;
  if (path !== '/fhir' && !path.startsWith('/fhir/')) return false;
  return !publicFhirPaths.has(path);
}

/**
 * Every `/fhir` request except the public ones must carry `Authorization: Bearer <token>`
 * with a valid access token for this server; the verified access context is attached to the
 * request. Otherwise 401 with an OperationOutcome and a `WWW-Authenticate` challenge
 * (RFC 6750 §3) naming the problem. With `recorder`, a refused FHIR request is audited (outcome
 * 4, no user, the network address).
 */
export function registerBearerAuth(
  app: FastifyInstance,
  verifier: TokenVerifier,
  realm: string,
  recorder?: AuditRecorder,
): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS' || !needsToken(request.url)) return;
    try {
      await authenticateBearer(request, reply, verifier, realm);
    } catch (err) {
      if (recorder) await recordRefusedRequest(recorder, request, err);
      throw err;
    }
  });
}

/** Verifies the request's bearer token and attaches its access context; throws 401 with a challenge otherwise. */
export async function authenticateBearer(
  request: FastifyRequest,
  reply: FastifyReply,
  verifier: TokenVerifier,
  realm: string,
): Promise<void> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header) : null;
  if (!match) {
    void reply.header('www-authenticate', `Bearer realm="${realm}"`);
    throw unauthorized(
      header ? 'The Authorization header is not a bearer token' : 'This request needs a bearer access token',
    );
  }
  try {
    setRequestAccess(request, await verifier.verify(match[1]));
  } catch (err) {
    const description = isOperationOutcomeError(err) ? err.message : 'invalid token';
    void reply.header(
      'www-authenticate',
      `Bearer realm="${realm}", error="invalid_token", error_description="${description.replace(/"/g, "'")}"`,
    );
    throw err;
  }
}
