import { isResourceType } from '@hospitium/fhir';
import type { AuditAction } from './codes.js';

/** What the audit trail calls a FHIR request: its restful-interaction and action. */
export interface AuditedInteraction {
  /** restful-interaction code: `read`, `vread`, `search-type`, `history-instance`, `create`, … */
  interaction: string;
  /** The operation's name (without `$`) for `operation`. */
  operation?: string;
  action: AuditAction;
  /** True when the interaction changes resources: its event must commit with the change. */
  changes: boolean;
  /** The resource the request names (`Patient/1`, or `Patient/1/_history/2` for vread). */
  target?: string;
  /** True for searches: the query is recorded as an entity. */
  search: boolean;
}

/**
 * Classifies a request by method and path the way the router dispatches it (see
 * `matchPath`), without running it. `undefined` for what is not audited: the
 * CapabilityStatement (`metadata`), which carries no patient data. Paths the router refuses
 * are still classified (by method) so the refusal is audited.
 */
export function classifyRequest(
  method: string,
  segments: readonly string[],
  body: unknown,
): AuditedInteraction | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  const [first, second, third, fourth] = segments;
  const read = (interaction: string, target?: string): AuditedInteraction => ({
    interaction,
    action: 'R',
    changes: false,
    search: false,
    ...(target ? { target } : {}),
  });
  const query = (interaction: string): AuditedInteraction => ({
    interaction,
    action: 'E',
    changes: false,
    search: true,
  });
  if (first === 'metadata' && segments.length === 1) return undefined;
  if (segments.length === 0) {
    if (m !== 'POST') return query('search-system');
    const type = (body as { type?: unknown } | undefined)?.type;
    const interaction = type === 'batch' ? 'batch' : 'transaction';
    // A batch runs each entry in its own transaction; a transaction is one change.
    return { interaction, action: 'E', changes: interaction === 'transaction', search: false };
  }
  const opAt = segments.findIndex((s) => s.startsWith('$'));
  if (opAt >= 0) {
    const operation = segments[opAt].slice(1);
    const target = opAt === 2 ? `${first}/${second}` : undefined;
    return {
      interaction: 'operation',
      operation,
      action: 'E',
      changes: false,
      search: false,
      ...(target ? { target } : {}),
    };
  }
  if (first === '_history') return query('history-system');
  if (first === '_search') return query('search-system');
  if (!isResourceType(first)) return m === 'GET' ? read('read') : write(m, undefined);
  if (segments.length === 1 || second === '_search') {
    if (m === 'GET' || (m === 'POST' && second === '_search')) return query('search-type');
    return write(m, undefined);
  }
  if (second === '_history') return query('history-type');
  const instance = `${first}/${second}`;
  if (segments.length === 2) return m === 'GET' ? read('read', instance) : write(m, instance);
  if (third === '_history') {
    return fourth === undefined
      ? { ...query('history-instance'), target: instance }
      : read('vread', `${instance}/_history/${fourth}`);
  }
  return query('search-type'); // compartment search: Patient/1/Observation
}

function write(method: string, target: string | undefined): AuditedInteraction {
  const base = { changes: true, search: false, ...(target ? { target } : {}) };
  switch (method) {
    case 'POST':
      return { interaction: 'create', action: 'C', ...base };
    case 'PUT':
      return { interaction: 'update', action: 'U', ...base };
    case 'PATCH':
      return { interaction: 'patch', action: 'U', ...base };
    case 'DELETE':
      return { interaction: 'delete', action: 'D', ...base };
    default:
      return { interaction: method.toLowerCase(), action: 'E', ...base, changes: false };
  }
}

/** `Patient/1`, `Patient/1/…`: the patient a URL names (known even when the request fails). */
export function namedPatient(segments: readonly string[]): string | undefined {
  const [type, id] = segments;
  if (type !== 'Patient' || id === undefined) return undefined;
  return /^[A-Za-z0-9\-.]{1,64}$/.test(id) ? id : undefined;
}

const patientParameters = new Set(['patient', 'subject', 'beneficiary', 'individual', 'actor', 'member']);

/**
 * The patients a search asks about by name (`subject=Patient/1`, `patient=1`,
 * `Observation?patient:Patient=1`, a full URL): a search for a patient's data is an access to
 * that patient even when it was refused or found nothing, so the audit names them.
 */
export function queriedPatients(query: URLSearchParams): string[] {
  const out = new Set<string>();
  for (const [key, raw] of query) {
    const [name, modifier] = key.split(/[:.]/, 2);
    if (!patientParameters.has(name)) continue;
    for (const value of raw.split(',')) {
      const typed = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(value);
      if (typed) out.add(typed[1]);
      else if ((name === 'patient' || modifier === 'Patient') && /^[A-Za-z0-9\-.]{1,64}$/.test(value))
        out.add(value);
    }
  }
  return [...out];
}
