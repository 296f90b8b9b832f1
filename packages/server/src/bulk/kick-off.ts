import { badRequest, isOperationOutcomeError, notSupported, operationOutcome } from '@hospitium/fhir';
import { parseSearchQuery } from '../fhir/search/parse-query.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir/types.js';
import { parseKickOff } from './parameters.js';
import type { ExportLevel } from './types.js';

/**
 * The `$export` kick-off shared by the system, Patient and Group operations: validates the
 * request (400 naming the parameter), checks the Group exists (404/410), tries each
 * `_typeFilter` once so a bad value fails now rather than in the background, queues the job
 * and answers 202 with `Content-Location` = the status URL.
 */
export async function kickOffExport(
  req: FhirRequest,
  ctx: FhirContext,
  level: ExportLevel,
): Promise<FhirResponse> {
  const service = ctx.bulkExport;
  if (!service) throw notSupported('Bulk Data export is not available here (no job store)', 501);
  const groupId = level === 'group' ? req.segments[1] : undefined;
  const { request, ignored } = parseKickOff(req, level, groupId);
  if (groupId !== undefined) await ctx.repository.readResource('Group', groupId);
  for (const [resourceType, queries] of Object.entries(request.typeFilters)) {
    for (const query of queries) {
      const { request: search } = parseSearchQuery(resourceType, new URLSearchParams(query));
      try {
        await ctx.repository.search({ resourceType, filters: search.filters, count: 1, total: 'none' });
      } catch (err) {
        if (!isOperationOutcomeError(err) || err.status >= 500) throw err;
        const reason = err.message;
        throw badRequest(`_typeFilter '${resourceType}?${query}': ${reason}`, 'http._typeFilter');
      }
    }
  }
  const query = req.query.toString();
  const requestUrl = `${ctx.baseUrl}/${req.segments.map((segment) => encodeURIComponent(segment).replace(/^%24/, '$')).join('/')}${query ? `?${query}` : ''}`;
  const requestedBy = {
    subject: ctx.access.subject,
    ...(ctx.access.clientId ? { clientId: ctx.access.clientId } : {}),
  };
  const statusUrl = await service.queue(requestUrl, { ...request, requestedBy });
  const issues = [
    {
      severity: 'information' as const,
      code: 'informational' as const,
      details: { text: `Export queued; poll ${statusUrl} for its progress and manifest` },
    },
    ...ignored.map((text) => ({
      severity: 'warning' as const,
      code: 'not-supported' as const,
      details: { text },
    })),
  ];
  return { status: 202, headers: { 'content-location': statusUrl }, body: operationOutcome(issues) };
}
