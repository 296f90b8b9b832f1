import { unauthorized } from '@hospitium/fhir';
import type { FastifyRequest } from 'fastify';
import { type AccessContext, anonymousAccess } from './access-context.js';

const accessKey = Symbol('hospitium.access');

/** Stores the verified access context on the request (done once, by the bearer-token hook). */
export function setRequestAccess(request: FastifyRequest, access: AccessContext): void {
  (request as unknown as Record<symbol, AccessContext>)[accessKey] = access;
}

/** The request's access context; throws 401 when no token was verified for it (never a silent default). */
export function requestAccess(request: FastifyRequest): AccessContext {
  const access = (request as unknown as Record<symbol, AccessContext | undefined>)[accessKey];
  if (!access) throw unauthorized('This request needs a bearer access token');
  return access;
}

/** The request's access context, or anonymous access on the public paths the bearer hook lets through. */
export function requestAccessOrAnonymous(request: FastifyRequest): AccessContext {
  return (request as unknown as Record<symbol, AccessContext | undefined>)[accessKey] ?? anonymousAccess;
}
