import { notSupported } from '@hospitium/fhir';
import type { FhirRequest, FhirResponse } from '../fhir/types.js';

const changingMethods: ReadonlySet<string> = new Set(['PUT', 'PATCH', 'DELETE']);

/**
 * AuditEvents are append-only through the API: they may be read, searched and created (an
 * external system may POST its own), never updated, patched or deleted — instance or
 * conditional, on their own or inside a bundle. Answers 405 with `Allow` for such a request,
 * undefined otherwise. The database refuses the same changes by trigger (migration 009).
 */
export function refuseAuditEventChange(req: FhirRequest): FhirResponse | undefined {
  if (req.segments[0] !== 'AuditEvent' || !changingMethods.has(req.method)) return undefined;
  if (req.segments.some((s) => s.startsWith('$'))) return undefined;
  const allow = req.segments.length === 1 ? 'GET, POST' : 'GET';
  const outcome = notSupported(
    `AuditEvents cannot be changed or deleted (${req.method} refused); the audit trail is append-only`,
  ).outcome;
  return { status: 405, headers: { allow }, body: outcome };
}
