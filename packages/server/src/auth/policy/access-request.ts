import type { FhirRequest } from '../../fhir/types.js';

/** The FHIR interactions an access decision distinguishes (R4 names, plus `operation`). */
export const interactions = [
  'read',
  'vread',
  'history-instance',
  'history-type',
  'history-system',
  'search-type',
  'search-system',
  'search-compartment',
  'create',
  'update',
  'patch',
  'delete',
  'operation',
] as const;
export type Interaction = (typeof interactions)[number];

/** What a request does, in the terms a policy decides on. */
export interface AccessRequest {
  interaction: Interaction;
  /** The resource type acted on; `*` for system-level interactions. */
  resourceType: string;
  /** The instance, for instance-level interactions. */
  id?: string;
  /** Compartment searches and `Patient/{id}/$everything`: the compartment's owner. */
  compartment?: { resourceType: string; id: string };
  /** The operation code (without `$`) for `operation`. */
  operation?: string;
  /** Every resource type the interaction reads or writes, when more than `resourceType` (export, `_type`). */
  types?: readonly string[];
  /** The request's search parameters (granular scopes and patient tokens look at them). */
  query: URLSearchParams;
}

/**
 * Describes a FHIR request for the policy, or undefined for requests that need no resource
 * permission themselves: `metadata`, and a batch/transaction Bundle (each entry is checked).
 * Paths the router does not know are left to it (404); this runs after routing.
 */
export function describeRequest(req: FhirRequest): AccessRequest | undefined {
  const { segments, query } = req;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const [first, second, third] = segments;
  const base = { query };
  if (segments.length === 0) {
    if (method === 'POST') return undefined;
    return { ...base, interaction: 'search-system', resourceType: '*', types: typeList(query) };
  }
  if (first === 'metadata') return undefined;
  if (first === '_history') return { ...base, interaction: 'history-system', resourceType: '*' };
  if (first === '_search') {
    return { ...base, interaction: 'search-system', resourceType: '*', types: typeList(query, req.body) };
  }
  const opAt = segments.findIndex((s) => s.startsWith('$'));
  if (opAt >= 0) {
    const operation = segments[opAt].slice(1);
    const resourceType = opAt === 0 ? '*' : segments[0];
    const request: AccessRequest = { ...base, interaction: 'operation', resourceType, operation };
    if (opAt === 2) {
      request.id = segments[1];
      request.compartment = { resourceType: segments[0], id: segments[1] };
    }
    if (operation === 'export') request.types = typeList(query, req.body);
    return request;
  }
  if (segments.length === 1) {
    const interaction =
      method === 'POST'
        ? 'create'
        : method === 'PUT'
          ? 'update'
          : method === 'PATCH'
            ? 'patch'
            : method === 'DELETE'
              ? 'delete'
              : 'search-type';
    return { ...base, interaction, resourceType: first };
  }
  if (second === '_search') return { ...base, interaction: 'search-type', resourceType: first };
  if (second === '_history') return { ...base, interaction: 'history-type', resourceType: first };
  if (segments.length === 2) {
    const interaction =
      method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : method === 'DELETE' ? 'delete' : 'read';
    return { ...base, interaction, resourceType: first, id: second };
  }
  if (third === '_history') {
    return {
      ...base,
      interaction: segments.length === 4 ? 'vread' : 'history-instance',
      resourceType: first,
      id: second,
    };
  }
  return {
    ...base,
    interaction: 'search-compartment',
    resourceType: third,
    compartment: { resourceType: first, id: second },
  };
}

/** `_type=Patient,Observation` from the query or a POSTed form / Parameters body. */
function typeList(query: URLSearchParams, body?: unknown): string[] | undefined {
  const values = query.getAll('_type');
  if (body instanceof URLSearchParams) values.push(...body.getAll('_type'));
  else if (isParameters(body)) {
    for (const p of body.parameter ?? []) {
      if (p.name === '_type' && typeof p.valueString === 'string') values.push(p.valueString);
    }
  }
  const types = values.flatMap((v) => v.split(',').map((t) => t.trim())).filter((t) => t !== '');
  return types.length === 0 ? undefined : types;
}

function isParameters(
  body: unknown,
): body is { resourceType: 'Parameters'; parameter?: { name?: unknown; valueString?: unknown }[] } {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { resourceType?: unknown }).resourceType === 'Parameters' &&
    Array.isArray((body as { parameter?: unknown }).parameter ?? [])
  );
}
