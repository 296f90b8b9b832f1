import type { CompartmentRequest, IncludeParam } from '@hospitium/db';
import {
  type Bundle,
  badRequest,
  getSearchParameter,
  isResourceType,
  patientCompartmentParams,
  resourceTypeNames,
} from '@hospitium/fhir';
import { checkId } from '../resource-id.js';
import { defaultPageSize, maxPageSize } from '../search/parse-query.js';
import { buildSearchset } from '../search/searchset.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import type { FhirOperation } from './operation.js';

/** The R4 OperationDefinition of `Patient/$everything` (the parameters this server honours). */
const definition: FhirOperation['definition'] = {
  resourceType: 'OperationDefinition',
  id: 'Patient-everything',
  url: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
  name: 'PatientEverything',
  title: 'Fetch Patient Record',
  status: 'active',
  kind: 'operation',
  code: 'everything',
  affectsState: false,
  resource: ['Patient'],
  system: false,
  type: true,
  instance: true,
  parameter: [
    { name: '_since', use: 'in', min: 0, max: '1', type: 'instant' },
    { name: '_type', use: 'in', min: 0, max: '*', type: 'code' },
    { name: '_count', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle' },
  ],
};

/** Referenced resources outside the compartment that make the record readable. */
const referencedTypes = ['Practitioner', 'Organization', 'Location', 'Medication'] as const;

/** The parameters of one `$everything` request. */
interface EverythingParameters {
  since?: string;
  types?: string[];
  count: number;
  offset: number;
}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function parseParameters(query: URLSearchParams): EverythingParameters {
  const params: EverythingParameters = { count: defaultPageSize, offset: 0 };
  for (const [name, raw] of query) {
    const value = raw.replace(' ', '+'); // an unencoded + in an offset
    switch (name) {
      case '_since':
        if (!instantPattern.test(value) || Number.isNaN(Date.parse(value)))
          throw badRequest(`_since must be an instant with a time zone (got '${raw}')`, 'http._since');
        params.since = value;
        break;
      case '_type':
        for (const type of raw.split(',').filter((t) => t !== '')) {
          if (!isResourceType(type)) throw badRequest(`_type: unknown resource type '${type}'`, 'http._type');
          params.types = [...(params.types ?? []), type];
        }
        break;
      case '_count':
      case '_offset': {
        if (!/^\d{1,9}$/.test(raw))
          throw badRequest(`${name} must be a non-negative integer`, `http.${name}`);
        if (name === '_count') params.count = Math.max(1, Math.min(Number(raw), maxPageSize));
        else params.offset = Number(raw);
        break;
      }
      case '_format':
      case '_pretty':
        break;
      default:
        throw badRequest(`Unknown parameter '${name}' for $everything`, `http.${name}`);
    }
  }
  return params;
}

let links: CompartmentRequest['links'] | undefined;

/**
 * Every (type, reference parameter) that puts a resource in a Patient's compartment, except
 * AuditEvent: `$everything` is the patient's record, not the log of who read it (each page
 * read adds an event, which would also shift the pages). The trail is read with
 * `AuditEvent?patient=` or `$who-viewed`.
 */
function compartmentLinks(): CompartmentRequest['links'] {
  links ??= resourceTypeNames()
    .filter((resourceType) => resourceType !== 'AuditEvent')
    .flatMap((resourceType) =>
      patientCompartmentParams(resourceType)
        .filter((param) => {
          const def = getSearchParameter(resourceType, param);
          return def?.type === 'reference' && (def.target.length === 0 || def.target.includes('Patient'));
        })
        .map((param) => ({ resourceType, param })),
    );
  return links;
}

/** The paging links' query: every parameter of the request, with the page position. */
function linkQuery(p: EverythingParameters, offset: number): string {
  const q = new URLSearchParams();
  if (p.since) q.append('_since', p.since);
  if (p.types) q.append('_type', p.types.join(','));
  q.append('_count', String(p.count));
  if (offset > 0) q.append('_offset', String(offset));
  return q.toString();
}

/**
 * `GET|POST Patient/[id]/$everything`: the patient, every resource in its compartment (one
 * query per page, paged by `_count`/`_offset`, filtered by `_type` and `_since`), and the
 * Practitioner, Organization, Location and Medication resources the page refers to (one more
 * query, `search.mode = include`). An unknown patient is a 404.
 *
 * `GET|POST Patient/$everything` (type level): the same for every patient at once — all
 * patients first, then every resource in any patient's compartment, paged the same way. For a
 * whole population Bulk Data `Patient/$export` is the better tool; this serves small sets and
 * clients that page.
 */
async function everything(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const id = req.segments.length === 3 ? checkId(req.segments[1]) : undefined;
  const p = parseParameters(req.query);
  // 404 / 410 for a patient that is not there
  if (id !== undefined) await ctx.repository.readResourceText('Patient', id);
  const page = await ctx.repository.searchCompartment({
    compartment: id === undefined ? { resourceType: 'Patient' } : { resourceType: 'Patient', id },
    links: compartmentLinks(),
    ...(p.types ? { types: p.types } : {}),
    ...(p.since ? { since: p.since } : {}),
    count: p.count,
    offset: p.offset,
  });
  const wanted = referencedTypes.filter((t) => !p.types || p.types.includes(t));
  const include: IncludeParam[] = wanted.map((targetType) => ({ resourceType: '*', param: '*', targetType }));
  const included =
    include.length > 0 && page.resources.length > 0
      ? await ctx.repository.includeResources(
          page.resources.map((r) => ({ resourceType: r.resourceType, id: r.id ?? '' })),
          { include },
        )
      : undefined;
  const bundle: Bundle = buildSearchset({ resourceType: 'Patient', filters: [] }, page, ctx, [], {
    included: included?.resources,
    includesTruncated: included?.truncated,
  });
  const base =
    id === undefined ? `${ctx.baseUrl}/Patient/$everything` : `${ctx.baseUrl}/Patient/${id}/$everything`;
  bundle.link = [{ relation: 'self', url: `${base}?${linkQuery(p, p.offset)}` }];
  if (p.offset > 0) bundle.link.push({ relation: 'first', url: `${base}?${linkQuery(p, 0)}` });
  if (page.hasMore)
    bundle.link.push({ relation: 'next', url: `${base}?${linkQuery(p, p.offset + p.count)}` });
  if (p.offset > 0)
    bundle.link.push({
      relation: 'previous',
      url: `${base}?${linkQuery(p, Math.max(0, p.offset - p.count))}`,
    });
  return { status: 200, headers: {}, body: bundle };
}

export const patientEverything: FhirOperation = {
  definition,
  methods: ['GET', 'POST'],
  handler: everything,
};
