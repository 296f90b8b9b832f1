import {
  type BundleEntryRequest,
  badRequest,
  isResource,
  isResourceType,
  notSupported,
  type Resource,
} from '@hospitium/fhir';
import { resourceBody } from '../../request-body.js';
import type { FhirRequest } from '../../types.js';

export type EntryMethod = BundleEntryRequest['method'];
const methods: readonly EntryMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** One `Bundle.entry` made ready to run: its request URL parsed, its target decided in planning. */
export interface PlannedEntry {
  index: number;
  method: EntryMethod;
  /** `request.url` as written, for messages. */
  url: string;
  /** Path segments and query of `request.url`, relative to the FHIR base. */
  segments: string[];
  query: URLSearchParams;
  request: BundleEntryRequest;
  fullUrl?: string;
  resource?: Resource;
  /** The JSON Patch of a PATCH entry (from its Binary resource). */
  patch?: unknown;
  /** POST: the id given to the new resource, known before anything runs (urn:uuid targets). */
  assignedId?: string;
  /** POST with `ifNoneExist` that matched: the existing resource; nothing is created. */
  existing?: Resource;
  /** `PUT [type]?criteria` that matched one resource: that resource as stored. */
  current?: Resource;
  /** `PUT [type]?criteria` that matched nothing and names no id: a create, with a new id. */
  createsNew?: boolean;
}

/** `Bundle.entry[3] (POST Patient)` — how messages name an entry. */
export function entryLabel(entry: { index: number; method?: string; url?: string }): string {
  return entry.method
    ? `Bundle.entry[${entry.index}] (${entry.method} ${entry.url})`
    : `Bundle.entry[${entry.index}]`;
}

/**
 * Parses one `Bundle.entry`: request method and URL (relative, or absolute under `baseUrl`),
 * the resource for POST/PUT (its type must match the URL) and the JSON Patch for PATCH
 * (a Binary with `contentType: application/json-patch+json`). Throws 400 on anything malformed.
 */
export function planEntry(raw: unknown, index: number, baseUrl: string): PlannedEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw badRequest('Entry is not an object');
  const { request, resource, fullUrl } = raw as { request?: unknown; resource?: unknown; fullUrl?: unknown };
  if (typeof request !== 'object' || request === null) throw badRequest('Entry has no request');
  const req = request as BundleEntryRequest;
  if (!methods.includes(req.method)) throw badRequest(`Unsupported request.method '${String(req.method)}'`);
  if (typeof req.url !== 'string' || req.url === '') throw badRequest('Entry request.url is missing');
  if (fullUrl !== undefined && typeof fullUrl !== 'string')
    throw badRequest('Entry fullUrl must be a string');

  const { segments, query } = parseEntryUrl(req.url, baseUrl);
  const entry: PlannedEntry = { index, method: req.method, url: req.url, segments, query, request: req };
  if (fullUrl) entry.fullUrl = fullUrl;
  if (segments.length === 0) throw badRequest('Nested batch or transaction entries are not supported');

  if (req.method === 'POST' || req.method === 'PUT') {
    if (segments.length > 2 || !isResourceType(segments[0])) {
      throw badRequest(
        `request.url '${req.url}' does not name a resource type${req.method === 'PUT' ? ' and id' : ''}`,
      );
    }
    if (req.method === 'POST' && segments.length !== 1) {
      throw badRequest(`POST request.url must be a resource type (got '${req.url}')`);
    }
    entry.resource = resourceBody(bodyRequest(resource), segments[0]);
  } else if (req.method === 'PATCH') {
    entry.patch = patchDocument(resource);
  }
  return entry;
}

function bodyRequest(body: unknown): FhirRequest {
  return { method: 'POST', segments: [], query: new URLSearchParams(), headers: {}, body };
}

/** Splits `Patient/1?x=y` (or `[base]/Patient/1?x=y`) into decoded segments and a query. */
export function parseEntryUrl(url: string, baseUrl: string): { segments: string[]; query: URLSearchParams } {
  let relative = url;
  if (url.startsWith(`${baseUrl}/`)) relative = url.slice(baseUrl.length + 1);
  else if (/^[a-z][a-z0-9+.-]*:/i.test(url)) throw badRequest(`request.url '${url}' is not on this server`);
  const q = relative.indexOf('?');
  const path = q < 0 ? relative : relative.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : relative.slice(q + 1));
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw badRequest(`request.url '${url}' is not a valid URL path`);
      }
    });
  return { segments, query };
}

/** The JSON Patch carried by a PATCH entry: a Binary holding application/json-patch+json. */
function patchDocument(resource: unknown): unknown {
  if (!isResource(resource)) throw badRequest('A PATCH entry needs a Binary resource holding the JSON Patch');
  if (resource.resourceType === 'Parameters') {
    throw notSupported('FHIRPath Patch (Parameters) is not supported; use a JSON Patch in a Binary', 415);
  }
  if (resource.resourceType !== 'Binary' || typeof resource.data !== 'string') {
    throw badRequest('A PATCH entry needs a Binary resource with base64 data holding the JSON Patch');
  }
  const text = Buffer.from(resource.data, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`The JSON Patch in the Binary is not valid JSON: ${(err as Error).message}`);
  }
}

/** The FhirRequest an entry runs as (representation always; the bundle applies Prefer itself). */
export function entryRequest(entry: PlannedEntry): FhirRequest {
  const headers: Record<string, string | undefined> = {
    'content-type': entry.method === 'PATCH' ? 'application/json-patch+json' : 'application/fhir+json',
    prefer: 'return=representation',
    'if-match': entry.request.ifMatch,
    'if-none-exist': entry.request.ifNoneExist,
    'if-none-match': entry.request.ifNoneMatch,
  };
  const body = entry.method === 'PATCH' ? entry.patch : entry.resource;
  return { method: entry.method, segments: entry.segments, query: entry.query, headers, body };
}

const methodOrder: Record<EntryMethod, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

/** Entries in R4 processing order: DELETE, POST, PUT and PATCH, then GET and HEAD (stable within each). */
export function processingOrder<T extends { method: EntryMethod }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => methodOrder[a.method] - methodOrder[b.method]);
}
