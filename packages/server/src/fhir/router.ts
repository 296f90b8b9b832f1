import { isResourceType, notFound, notSupported } from '@hospitium/fhir';
import { auditedRequest } from '../audit/audit-request.js';
import { refuseAuditEventChange } from '../audit/protect.js';
import { authorize, checkResponse } from '../auth/policy/authorize.js';
import { workflowRight } from '../auth/policy/workflow-operations.js';
import { bundleInteraction } from './interactions/bundle/bundle-interaction.js';
import { capabilitiesInteraction } from './interactions/capabilities.js';
import { compartmentSearchInteraction } from './interactions/compartment-search.js';
import { conditionalDeleteInteraction } from './interactions/conditional-delete.js';
import { conditionalUpdateInteraction } from './interactions/conditional-update.js';
import { createInteraction } from './interactions/create.js';
import { deleteInteraction } from './interactions/delete.js';
import { historyInteraction } from './interactions/history.js';
import { patchInteraction } from './interactions/patch.js';
import { readInteraction } from './interactions/read.js';
import { searchInteraction } from './interactions/search.js';
import { systemSearchInteraction } from './interactions/system-search.js';
import { updateInteraction } from './interactions/update.js';
import { vreadInteraction } from './interactions/vread.js';
import { findOperation } from './operations/index.js';
import type { FhirContext, FhirHandler, FhirRequest, FhirResponse, ResolvedRequest } from './types.js';

type MethodTable = Partial<Record<string, FhirHandler>>;

/** `[base]/$op`, `[base]/[type]/$op`, `[base]/[type]/[id]/$op` through the operations list. */
function operationTable(segments: readonly string[], opAt: number): MethodTable {
  const code = segments[opAt].slice(1);
  const level = opAt === 0 ? 'system' : opAt === 1 ? 'type' : opAt === 2 ? 'instance' : undefined;
  if (level === undefined || opAt !== segments.length - 1) {
    throw notFound(`No FHIR interaction at '${segments.join('/')}'`);
  }
  if (level !== 'system' && !isResourceType(segments[0])) {
    throw notFound(`Unknown resource type '${segments[0]}'`);
  }
  const op = findOperation(code, level, segments[0]);
  if (!op) {
    const where = level === 'system' ? 'the server' : level === 'type' ? segments[0] : `a ${segments[0]}`;
    throw notFound(`Operation $${code} is not supported on ${where}`);
  }
  return Object.fromEntries(op.methods.map((m) => [m, op.handler]));
}

/** Which interaction a path shape answers, per method. HEAD is served as GET without a body. */
const routes = {
  base: { GET: systemSearchInteraction, POST: bundleInteraction },
  metadata: { GET: capabilitiesInteraction },
  systemSearch: { POST: systemSearchInteraction, GET: systemSearchInteraction },
  systemHistory: { GET: historyInteraction },
  type: {
    GET: searchInteraction,
    POST: createInteraction,
    PUT: conditionalUpdateInteraction,
    DELETE: conditionalDeleteInteraction,
    PATCH: patchInteraction,
  },
  typeSearch: { POST: searchInteraction, GET: searchInteraction },
  typeHistory: { GET: historyInteraction },
  instance: {
    GET: readInteraction,
    PUT: updateInteraction,
    PATCH: patchInteraction,
    DELETE: deleteInteraction,
  },
  instanceHistory: { GET: historyInteraction },
  compartmentSearch: { GET: compartmentSearchInteraction },
  compartmentSearchPost: { POST: compartmentSearchInteraction, GET: compartmentSearchInteraction },
  version: { GET: vreadInteraction },
} satisfies Record<string, MethodTable>;

/** The method table for a path under the FHIR base (404 for paths and types that do not exist). */
export function matchPath(segments: readonly string[]): MethodTable {
  const [first, second, third] = segments;
  if (segments.length === 0) return routes.base;
  if (first === 'metadata' && segments.length === 1) return routes.metadata;
  if (first === '_history' && segments.length === 1) return routes.systemHistory;
  if (first === '_search' && segments.length === 1) return routes.systemSearch;
  const opAt = segments.findIndex((s) => s.startsWith('$'));
  if (opAt >= 0) return operationTable(segments, opAt);
  if (!isResourceType(first)) throw notFound(`Unknown resource type '${first}'`);
  switch (segments.length) {
    case 1:
      return routes.type;
    case 2:
      if (second === '_search') return routes.typeSearch;
      if (second === '_history') return routes.typeHistory;
      return routes.instance;
    case 3:
      if (third === '_history') return routes.instanceHistory;
      if (isResourceType(third)) return routes.compartmentSearch;
      break;
    case 4:
      if (third === '_history') return routes.version;
      if (isResourceType(third) && segments[3] === '_search') return routes.compartmentSearchPost;
      break;
  }
  throw notFound(`No FHIR interaction at '${segments.join('/')}'`);
}

/**
 * Routes a FHIR request to its interaction and records its AuditEvent (`ctx.audit`; see
 * audit/audit-request.ts). Errors are thrown as OperationOutcomeError, except an unsupported
 * method, answered here as 405 with `Allow`. Every request is authorised first (`authorize`)
 * and, for staff users, its response checked resource by resource (`checkResponse`); when a
 * break-the-glass grant allowed it, the response carries `emergency` (grant id, patient,
 * reason), which the AuditEvent records as purpose of use BTG.
 */
export function handleFhirRequest(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  return auditedRequest(req, ctx, resolveFhirRequest);
}

/**
 * Checks a request before anything runs — path, method, body type, the append-only audit
 * trail, permission — and returns the interaction that serves it, or the refusal to send.
 */
async function resolveFhirRequest(req: FhirRequest, ctx: FhirContext): Promise<ResolvedRequest> {
  const table = matchPath(req.segments);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const handler = table[method];
  if (!handler) {
    const allowed = Object.keys(table);
    const outcome = notSupported(
      `${req.method} is not supported here; allowed: ${allowed.join(', ')}`,
    ).outcome;
    return { status: 405, headers: { allow: allowed.join(', ') }, body: outcome };
  }
  const refused = refuseAuditEventChange(req);
  if (refused) return refused;
  if (
    req.body instanceof URLSearchParams &&
    handler !== searchInteraction &&
    handler !== compartmentSearchInteraction &&
    handler !== systemSearchInteraction
  ) {
    throw notSupported('A form body is only accepted by POST _search; send application/fhir+json', 415);
  }
  const request = method === req.method ? req : { ...req, method };
  if (ctx.preauthorized) return { handler, request };
  const decision = await authorize(req, ctx);
  // A workflow operation's right (patient relationship included) is decided before it runs;
  // its answer is the resource it acted on, which a move may put outside the user's unit.
  if (isWorkflowOperation(req)) return { request, handler, emergency: decision.emergency };
  return {
    request,
    handler,
    emergency: decision.emergency,
    check: async (response, c) => {
      const emergency = decision.emergency ?? (await checkResponse(response, c));
      return emergency ? { ...response, emergency } : response;
    },
  };
}

/** `[type]/$op` or `[type]/[id]/$op` naming a workflow operation (auth/policy/workflow-operations.ts). */
function isWorkflowOperation(req: FhirRequest): boolean {
  const last = req.segments[req.segments.length - 1] ?? '';
  return req.segments.length >= 2 && last.startsWith('$') && workflowRight(last.slice(1)) !== undefined;
}
