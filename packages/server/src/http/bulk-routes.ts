import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../audit/recorder.js';
import { requestAccess } from '../auth/tokens/request-access.js';
import { auditedDownload, recordRefusedDownload } from '../bulk/download-audit.js';
import { type BulkExportService, type BulkResponse, bulkStatusPath } from '../bulk/service.js';
import type { ExportRequester } from '../bulk/types.js';
import { fhirJsonContentType } from './content-types.js';
import { fhirPrefix } from './fhir-routes.js';

/**
 * Binds the Bulk Data status and file URLs (outside the FHIR router: files are NDJSON, and the
 * status answers plain `application/json`): `GET|DELETE /fhir/bulk/export/:jobId` and
 * `GET /fhir/bulk/export/:jobId/files/:fileNo`. Like every `/fhir` URL they need a bearer
 * token, and only the token of the client that started the export may use them. With
 * `recorder`, each file download writes an Export AuditEvent naming the patients in the file.
 */
export function registerBulkRoutes(
  app: FastifyInstance,
  service: BulkExportService,
  recorder?: AuditRecorder,
): void {
  const base = `${fhirPrefix}/${bulkStatusPath}/:jobId`;
  app.get<{ Params: { jobId: string } }>(base, async (request, reply) =>
    send(reply, await service.status(request.params.jobId, requester(request))),
  );
  app.delete<{ Params: { jobId: string } }>(base, async (request, reply) =>
    send(reply, await service.cancel(request.params.jobId, requester(request))),
  );
  app.get<{ Params: { jobId: string; fileNo: string } }>(`${base}/files/:fileNo`, async (request, reply) => {
    const fileNo = /^\d{1,9}$/.test(request.params.fileNo) ? Number(request.params.fileNo) : Number.NaN;
    const response = await service.file(request.params.jobId, fileNo, requester(request));
    if (!recorder) return send(reply, response);
    // The files hold patient data in bulk: every download, refused ones too, is audited.
    const audit = {
      recorder,
      requester: { access: requestAccess(request), networkAddress: request.ip },
      jobId: request.params.jobId,
      fileNo,
    };
    if (response.ndjson) return send(reply, { ...response, ndjson: auditedDownload(audit, response.ndjson) });
    const text = (response.body as { issue?: { details?: { text?: string } }[] } | undefined)?.issue?.[0]
      ?.details?.text;
    await recordRefusedDownload(audit, response.status, text ?? `download refused (${response.status})`);
    return send(reply, response);
  });
}

function requester(request: FastifyRequest): ExportRequester {
  const access = requestAccess(request);
  return { subject: access.subject, ...(access.clientId ? { clientId: access.clientId } : {}) };
}

function send(reply: FastifyReply, response: BulkResponse): FastifyReply {
  void reply.code(response.status).headers(response.headers);
  if (response.ndjson) return reply.send(Readable.from(response.ndjson));
  if (response.body === undefined) return reply.send();
  if (!response.headers['content-type']) void reply.type(fhirJsonContentType);
  return reply.send(JSON.stringify(response.body));
}
