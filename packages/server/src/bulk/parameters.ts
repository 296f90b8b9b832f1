import { badRequest, isResourceType, patientCompartmentParams } from '@hospitium/fhir';
import { parsePrefer } from '../fhir/headers.js';
import { parseSearchQuery } from '../fhir/search/parse-query.js';
import type { FhirRequest } from '../fhir/types.js';
import type { ExportLevel, ExportRequest } from './types.js';

/** `_outputFormat` values meaning NDJSON (the Bulk Data IG's three spellings). */
const ndjsonFormats = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

/** Kick-off parameters of the IG this server does not implement: 400, or ignored when lenient. */
const unsupportedParameters = new Set([
  '_elements',
  'includeAssociatedData',
  'organizeOutputBy',
  'allowPartialManifests',
]);

/** Parameters that only shape the kick-off response; the HTTP adapter already checked them. */
const responseParameters = new Set(['_format', '_pretty']);

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

export interface ParsedKickOff {
  request: ExportRequest;
  /** Parameters ignored under `Prefer: handling=lenient`, with the reason (reported to the client). */
  ignored: string[];
}

/** One kick-off parameter from the query or a Parameters body: its name and its string value. */
interface RawParameter {
  name: string;
  value: string;
}

/**
 * Validates a `$export` kick-off (Bulk Data Access IG v2 §3): `Prefer: respond-async` is
 * required; `_outputFormat` must be NDJSON; `_type` names resource types (for patient and
 * group exports, types of the Patient compartment); `_since` is an instant; each `_typeFilter`
 * is `Type?query` parsed by the server's search parser; `patient` (POST only) lists Patient
 * references. Anything wrong is a 400 naming the parameter; with `Prefer: handling=lenient`,
 * unsupported parameters and types outside the compartment are ignored and reported instead.
 */
export function parseKickOff(req: FhirRequest, level: ExportLevel, groupId?: string): ParsedKickOff {
  const prefer = req.headers.prefer ?? '';
  if (!/(^|[\s,;])respond-async($|[\s,;])/i.test(prefer)) {
    throw badRequest('$export runs asynchronously: send the header Prefer: respond-async', 'http.Prefer');
  }
  const lenient = parsePrefer(prefer).handling === 'lenient';
  const ignored: string[] = [];
  const reject = (expression: string, reason: string): void => {
    if (!lenient) throw badRequest(reason, expression);
    ignored.push(reason);
  };

  const raw = [...queryParameters(req.query), ...bodyParameters(req)];
  const request: ExportRequest = {
    level,
    ...(groupId === undefined ? {} : { groupId }),
    typeFilters: {},
    outputFormat: 'application/fhir+ndjson',
  };
  const typeFilterValues: string[] = [];
  for (const { name, value } of raw) {
    switch (name) {
      case '_outputFormat':
        if (!ndjsonFormats.has(value.trim().toLowerCase().replaceAll(' ', '+'))) {
          throw badRequest(
            `_outputFormat '${value}' is not supported; use application/fhir+ndjson`,
            'http._outputFormat',
          );
        }
        break;
      case '_since':
        request.since = parseSince(value);
        break;
      case '_type':
        request.types = [...(request.types ?? []), ...parseTypes(value, level, reject)];
        break;
      case '_typeFilter':
        typeFilterValues.push(value);
        break;
      case 'patient':
        if (level === 'system')
          throw badRequest('patient applies only to Patient and Group exports', 'patient');
        request.patients = [...(request.patients ?? []), patientId(value)];
        break;
      default:
        if (responseParameters.has(name)) break;
        if (unsupportedParameters.has(name))
          reject(`http.${name}`, `${name} is not supported by this server`);
        else reject(`http.${name}`, `Unknown $export parameter '${name}'`);
    }
  }
  if (request.types) request.types = [...new Set(request.types)];
  for (const value of typeFilterValues) {
    for (const query of splitTypeFilter(value)) addTypeFilter(request, query, level, reject);
  }
  return { request, ignored };
}

function queryParameters(query: URLSearchParams): RawParameter[] {
  const out: RawParameter[] = [];
  for (const [name, value] of query) {
    if (name === 'patient') throw badRequest('patient is accepted only in a POST Parameters body', 'patient');
    out.push({ name, value });
  }
  return out;
}

/** The parameters of a POST body: a FHIR Parameters resource (or no body). */
function bodyParameters(req: FhirRequest): RawParameter[] {
  if (req.method !== 'POST' || req.body === undefined || req.body === null || req.body === '') return [];
  const body = req.body as { resourceType?: unknown; parameter?: unknown };
  if (typeof body !== 'object' || body.resourceType !== 'Parameters') {
    throw badRequest('The $export POST body must be a Parameters resource');
  }
  if (body.parameter === undefined) return [];
  if (!Array.isArray(body.parameter)) throw badRequest('Parameters.parameter must be an array');
  return body.parameter.map((p: unknown, i: number) => {
    const where = `Parameters.parameter[${i}]`;
    if (typeof p !== 'object' || p === null) throw badRequest(`${where} is not an object`, where);
    const param = p as Record<string, unknown>;
    if (typeof param.name !== 'string') throw badRequest(`${where} has no name`, where);
    const reference = param.valueReference as { reference?: unknown } | undefined;
    const value =
      param.name === 'patient'
        ? reference?.reference
        : (param.valueString ??
          param.valueCode ??
          param.valueInstant ??
          param.valueDateTime ??
          param.valueUri);
    if (typeof value !== 'string') {
      throw badRequest(
        param.name === 'patient'
          ? `${where} (patient) needs a valueReference`
          : `${where} (${param.name}) needs a string, code, instant or uri value`,
        where,
      );
    }
    return { name: param.name, value };
  });
}

function parseSince(value: string): string {
  // An unencoded `+` in the offset arrives as a space.
  const instant = value.trim().replaceAll(' ', '+');
  if (!instantPattern.test(instant) || Number.isNaN(Date.parse(instant))) {
    throw badRequest(
      `_since must be an instant with a time zone, such as 2024-01-31T12:00:00Z (got '${value}')`,
      'http._since',
    );
  }
  return new Date(instant).toISOString();
}

/** True when a patient or group export can hold resources of this type. */
export function inPatientCompartment(type: string): boolean {
  return type === 'Patient' || patientCompartmentParams(type).length > 0;
}

function parseTypes(
  value: string,
  level: ExportLevel,
  reject: (expression: string, reason: string) => void,
): string[] {
  const types: string[] = [];
  for (const raw of value.split(',')) {
    const type = raw.trim();
    if (type === '') continue;
    if (!isResourceType(type))
      throw badRequest(`_type: '${type}' is not a FHIR R4 resource type`, 'http._type');
    if (level !== 'system' && !inPatientCompartment(type)) {
      reject('http._type', `_type: ${type} is not in the Patient compartment, so a ${level} export has none`);
      continue;
    }
    types.push(type);
  }
  return types;
}

function patientId(reference: string): string {
  const match = /(?:^|\/)Patient\/([^/]+)$/.exec(reference.trim());
  if (!match || !idPattern.test(match[1])) {
    throw badRequest(`patient must reference a Patient (Patient/[id]), not '${reference}'`, 'patient');
  }
  return match[1];
}

/**
 * Splits a `_typeFilter` value into its queries. Queries are comma-separated, but a query may
 * itself contain commas (OR values, decoded from `%2C`), so a comma only separates where the
 * next query starts (`,Type?`).
 */
export function splitTypeFilter(value: string): string[] {
  return value
    .split(/,(?=[A-Z][A-Za-z]*\?)/)
    .map((q) => q.trim())
    .filter((q) => q !== '');
}

function addTypeFilter(
  request: ExportRequest,
  query: string,
  level: ExportLevel,
  reject: (expression: string, reason: string) => void,
): void {
  const q = query.indexOf('?');
  const type = q < 0 ? query : query.slice(0, q);
  if (q < 0 || !isResourceType(type)) {
    throw badRequest(
      `_typeFilter '${query}' must be a search such as Observation?status=final`,
      'http._typeFilter',
    );
  }
  if (request.types && !request.types.includes(type)) {
    throw badRequest(
      `_typeFilter '${query}' names ${type}, which _type does not include`,
      'http._typeFilter',
    );
  }
  if (level !== 'system' && !inPatientCompartment(type)) {
    reject('http._typeFilter', `_typeFilter: ${type} is not in the Patient compartment`);
    return;
  }
  const queryString = query.slice(q + 1);
  let parsed: ReturnType<typeof parseSearchQuery>;
  try {
    parsed = parseSearchQuery(type, new URLSearchParams(queryString));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw badRequest(`_typeFilter '${query}': ${reason}`, 'http._typeFilter');
  }
  const search = parsed.request;
  if (search.count !== undefined || search.offset !== undefined || search.sort || search.total) {
    throw badRequest(
      `_typeFilter '${query}': only search parameters are allowed (no _count, _offset, _sort, _total, _summary)`,
      'http._typeFilter',
    );
  }
  request.typeFilters[type] = [...(request.typeFilters[type] ?? []), queryString];
}
