import { badRequest, forbidden, notFound } from '@hospitium/fhir';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PatientAccess } from '../policy/patient-access.js';
import type { AccessContext } from '../tokens/access-context.js';
import { requestAccess } from '../tokens/request-access.js';

/** Where the review API lives (needs a bearer token, like `/fhir`). */
export const emergencyAccessPath = '/auth/emergency-access';

/** Who may review break-the-glass grants: IT administrators (the privacy office signs in with that role). */
function checkReviewer(access: AccessContext): void {
  if (access.kind === 'user' && access.roles.includes('it-admin')) return;
  throw forbidden('Reviewing break-the-glass access needs a signed-in user with the it-admin role');
}

/**
 * The review of break-the-glass grants:
 * - `GET /auth/emergency-access?reviewed=false|true` lists grants, newest first (`{ grants: [...] }`);
 * - `POST /auth/emergency-access/{id}/review` with `{ "note": "…" }` marks one reviewed.
 */
export function registerEmergencyAccessRoutes(app: FastifyInstance, service: PatientAccess): void {
  app.get(
    emergencyAccessPath,
    async (request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>) => {
      checkReviewer(requestAccess(request));
      const { reviewed, _count } = request.query;
      if (reviewed !== undefined && reviewed !== 'true' && reviewed !== 'false') {
        throw badRequest(`reviewed must be true or false, not '${reviewed}'`);
      }
      if (_count !== undefined && !/^\d{1,4}$/.test(_count))
        throw badRequest('_count must be a whole number up to 9999');
      const grants = await service.grants.list({
        ...(reviewed === undefined ? {} : { reviewed: reviewed === 'true' }),
        ...(_count === undefined ? {} : { limit: Math.max(1, Number(_count)) }),
      });
      return { grants };
    },
  );
  app.post(
    `${emergencyAccessPath}/:id/review`,
    async (request: FastifyRequest<{ Params: { id: string }; Body: unknown }>) => {
      const access = requestAccess(request);
      checkReviewer(access);
      const body = request.body ?? {};
      const note = typeof body === 'object' && body !== null ? (body as { note?: unknown }).note : undefined;
      if (note !== undefined && typeof note !== 'string') throw badRequest('note must be a string');
      const grant = await service.grants.review(request.params.id, access.subject, note);
      if (!grant) throw notFound(`No break-the-glass grant '${request.params.id}'`);
      service.relationships.forget(grant.user);
      return grant;
    },
  );
}
