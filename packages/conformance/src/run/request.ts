import { badRequest } from '@hospitium/fhir';
import type { Operation } from '../script/types.js';
import { getFixture, targetIdentity } from './fixtures.js';
import type { SentRequest } from './http.js';
import type { RunState, ServerIdentity } from './state.js';
import { substitute, substituteDeep } from './variables.js';

/** HTTP method per `testscript-operation-codes` code; other codes default to GET (or POST with a body). */
const methods: Record<string, string> = {
  read: 'GET',
  vread: 'GET',
  search: 'GET',
  history: 'GET',
  capabilities: 'GET',
  create: 'POST',
  update: 'PUT',
  updateCreate: 'PUT',
  delete: 'DELETE',
  deleteCondSingle: 'DELETE',
  deleteCondMultiple: 'DELETE',
  patch: 'PATCH',
  transaction: 'POST',
  batch: 'POST',
};

/** Interaction codes (everything else with no url/params is taken as a `$operation` name). */
const interactions = new Set(Object.keys(methods));

/** STU3-style short codes still found in scripts. */
const mimeShort: Record<string, string> = {
  json: 'application/fhir+json',
  xml: 'application/fhir+xml',
  ttl: 'text/turtle',
};
const mime = (code: string) => mimeShort[code] ?? code;

/** Percent-encodes the names and values of a query string (for `encodeRequestUrl: true`). */
export function encodeQuery(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return pathAndQuery;
  const query = pathAndQuery
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return encodeURIComponent(pair);
      return `${encodeURIComponent(pair.slice(0, eq))}=${encodeURIComponent(pair.slice(eq + 1))}`;
    })
    .join('&');
  return `${pathAndQuery.slice(0, q)}?${query}`;
}

function isResourceBody(v: unknown): v is { resourceType: string; id?: string } {
  return (
    typeof v === 'object' && v !== null && typeof (v as { resourceType?: unknown }).resourceType === 'string'
  );
}

function resourceTypeOf(body: unknown): string | undefined {
  const t =
    typeof body === 'object' && body !== null ? (body as { resourceType?: unknown }).resourceType : undefined;
  return typeof t === 'string' ? t : undefined;
}

/** The path below the base (starting with `/`, or empty for the base itself). */
function pathFor(code: string, op: Operation, state: RunState, source: unknown): string {
  const params = op.params === undefined ? undefined : substitute(op.params, state);
  const target: ServerIdentity | undefined = op.targetId ? targetIdentity(state, op.targetId) : undefined;
  const type = op.resource ?? target?.type ?? resourceTypeOf(source);
  const typePath = type ? `/${type}` : '';
  switch (code) {
    case 'capabilities':
      return `/metadata${params ?? ''}`;
    case 'transaction':
    case 'batch':
      return params ?? '';
    case 'history':
      if (params?.startsWith('/')) return typePath + params;
      return `${target ? `/${target.type}/${target.id}` : typePath}/_history${params ?? ''}`;
    case 'vread':
      if (params !== undefined) return typePath + params;
      if (!target?.versionId) throw badRequest('vread needs a targetId whose version is known, or params');
      return `/${target.type}/${target.id}/_history/${target.versionId}`;
  }
  if (params !== undefined) return typePath + params;
  if (target && code !== 'create' && code !== 'search') {
    const instance = `/${target.type}/${target.id}`;
    return interactions.has(code) ? instance : `${instance}/$${code}`;
  }
  if ((code === 'update' || code === 'updateCreate') && source) {
    const id = (source as { id?: unknown }).id;
    if (typeof id === 'string') return `${typePath}/${id}`;
    throw badRequest('update needs a targetId, params, or a source resource with an id');
  }
  return interactions.has(code) || !code ? typePath : `${typePath}/$${code}`;
}

/**
 * The HTTP request an operation stands for: method, URL (`url`, else resource + `params`, else
 * derived from `targetId`/`sourceId`), headers (`accept`, `contentType`, `requestHeader`, which
 * win) and body (the `sourceId` fixture, variables substituted). Variables are substituted
 * everywhere; `encodeRequestUrl` (default true) percent-encodes the query.
 */
export function buildRequest(op: Operation, state: RunState): SentRequest {
  const code = op.type?.code ?? '';
  const sourceFixture = op.sourceId ? getFixture(state, op.sourceId) : undefined;
  let source: unknown = sourceFixture
    ? substituteDeep(
        sourceFixture.exchange ? sourceFixture.exchange.response.body : sourceFixture.body,
        state,
      )
    : undefined;

  let path: string;
  if (op.url !== undefined) {
    path = substitute(op.url, state);
  } else {
    path = pathFor(code, op, state, source);
  }
  if (op.encodeRequestUrl !== false) path = encodeQuery(path);
  const url = /^https?:\/\//i.test(path)
    ? path
    : `${state.base}${path && !path.startsWith('/') ? '/' : ''}${path}`;

  // An update sends the resource under the id of its URL (the target's, else the URL's last segment).
  if ((code === 'update' || code === 'updateCreate') && isResourceBody(source)) {
    const urlId = /(?:^|\/)[A-Z][A-Za-z]+\/([A-Za-z0-9\-.]{1,64})$/.exec(path)?.[1];
    const id = op.targetId ? targetIdentity(state, op.targetId).id : (source.id ?? urlId);
    if (id !== undefined) source = { ...source, id };
  }

  const method = (op.method ?? methods[code] ?? (source === undefined ? 'GET' : 'POST')).toUpperCase();
  const headers: Record<string, string> = { accept: mime(op.accept ?? 'application/fhir+json') };
  let body: string | undefined;
  if (source !== undefined) {
    body = typeof source === 'string' ? source : JSON.stringify(source);
    headers['content-type'] = mime(op.contentType ?? sourceFixture?.contentType ?? 'application/fhir+json');
  }
  for (const h of op.requestHeader ?? []) headers[h.field.toLowerCase()] = substitute(h.value, state);
  return { method, url, headers, ...(body === undefined ? {} : { body }) };
}
