import { badRequest, type Coding, notSupported } from '@hospitium/fhir';
import { auditSystems } from '../../audit/codes.js';
import { auditEventsOfPatient } from '../../audit/who-viewed-query.js';
import { checkId } from '../resource-id.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../types.js';
import type { FhirOperation } from './operation.js';

/** The OperationDefinition of `Patient/[id]/$who-viewed` (Hospitium's own: no standard one exists). */
const definition: FhirOperation['definition'] = {
  resourceType: 'OperationDefinition',
  id: 'Patient-who-viewed',
  url: 'urn:hospitium:OperationDefinition/Patient-who-viewed',
  name: 'PatientWhoViewed',
  title: 'Who viewed this patient',
  status: 'active',
  kind: 'operation',
  code: 'who-viewed',
  affectsState: false,
  resource: ['Patient'],
  system: false,
  type: false,
  instance: true,
  parameter: [
    { name: '_since', use: 'in', min: 0, max: '1', type: 'instant' },
    { name: '_until', use: 'in', min: 0, max: '1', type: 'instant' },
    { name: '_count', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Parameters' },
  ],
};

const defaultCount = 100;
const maxCount = 1000;
const instantPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

interface WhoViewedParameters {
  since?: string;
  until?: string;
  count: number;
}

function parseParameters(query: URLSearchParams): WhoViewedParameters {
  const params: WhoViewedParameters = { count: defaultCount };
  for (const [name, raw] of query) {
    const value = raw.replace(' ', '+');
    switch (name) {
      case '_since':
      case '_until':
        if (!instantPattern.test(value) || Number.isNaN(Date.parse(value)))
          throw badRequest(
            `${name} must be a date or an instant with a time zone (got '${raw}')`,
            `http.${name}`,
          );
        if (name === '_since') params.since = value;
        else params.until = value;
        break;
      case '_count':
        if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1)
          throw badRequest('_count must be a whole number ≥ 1', 'http._count');
        params.count = Math.min(Number(raw), maxCount);
        break;
      case '_format':
      case '_pretty':
        break;
      default:
        throw badRequest(`Unknown parameter '${name}' for $who-viewed`, `http.${name}`);
    }
  }
  return params;
}

interface AuditEventView {
  id?: string;
  recorded?: string;
  action?: string;
  outcome?: string;
  subtype?: Coding[];
  purposeOfEvent?: { coding?: Coding[] }[];
  agent?: {
    who?: { reference?: string; identifier?: { system?: string; value?: string } };
    name?: string;
    requestor?: boolean;
    purposeOfUse?: { coding?: Coding[] }[];
  }[];
  entity?: { what?: { reference?: string }; role?: { code?: string } }[];
}

/**
 * `GET Patient/[id]/$who-viewed[?_since=&_until=&_count=]` — who accessed this patient's
 * record: the stored AuditEvents that name the patient (one indexed query, newest first, at most
 * `_count`, default 100, up to 1000), grouped by accessor. The answer is a Parameters resource:
 *
 * - `patient` (Reference), `total` (events listed), `truncated` (true when older ones were cut);
 * - one `accessor` per user or app, in order of their latest access, with parts `who`
 *   (the agent's Reference: FHIR user, or identifier of account / client), `name`, `app`
 *   (the client id when a user worked through an app), `count`, and one `access` per event
 *   with parts `when`, `interaction`, `action`, `outcome`, `resource` (0..*),
 *   `breakTheGlass` and `event` (Reference to the AuditEvent).
 *
 * The request itself is audited like any other read of the patient.
 */
async function whoViewed(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const patientId = checkId(req.segments[1]);
  const p = parseParameters(req.query);
  const db = ctx.audit?.recorder.database;
  if (!db || ctx.audit?.transaction) {
    throw notSupported('$who-viewed needs the audit database and cannot run inside a bundle', 400);
  }
  await ctx.repository.readResourceText('Patient', patientId); // 404 / 410 for an absent patient
  const events = (await auditEventsOfPatient(db, { patientId, ...p, limit: p.count })) as AuditEventView[];
  const truncated = events.length > p.count;
  const listed = truncated ? events.slice(0, p.count) : events;

  const accessors = new Map<
    string,
    { who: Record<string, unknown>; name?: string; app?: string; accesses: Record<string, unknown>[] }
  >();
  const order: string[] = [];
  for (const event of listed) {
    const requestor = event.agent?.find((a) => a.requestor) ?? event.agent?.[0];
    const app = event.agent?.find((a) => a !== requestor && a.who?.identifier?.system === auditSystems.client)
      ?.who?.identifier?.value;
    const who = requestor?.who ?? { display: requestor?.name ?? 'unknown' };
    const key = JSON.stringify([who, app ?? null]);
    let accessor = accessors.get(key);
    if (!accessor) {
      accessor = {
        who,
        ...(requestor?.name ? { name: requestor.name } : {}),
        ...(app ? { app } : {}),
        accesses: [],
      };
      accessors.set(key, accessor);
      order.push(key);
    }
    accessor.accesses.push(accessPart(event));
  }

  const parameter: Record<string, unknown>[] = [
    { name: 'patient', valueReference: { reference: `Patient/${patientId}` } },
    { name: 'total', valueInteger: listed.length },
    { name: 'truncated', valueBoolean: truncated },
  ];
  for (const key of order) {
    const a = accessors.get(key);
    if (!a) continue;
    parameter.push({
      name: 'accessor',
      part: [
        { name: 'who', valueReference: a.who },
        ...(a.name ? [{ name: 'name', valueString: a.name }] : []),
        ...(a.app ? [{ name: 'app', valueString: a.app }] : []),
        { name: 'count', valueInteger: a.accesses.length },
        ...a.accesses,
      ],
    });
  }
  return { status: 200, headers: {}, body: { resourceType: 'Parameters', parameter } };
}

function accessPart(event: AuditEventView): Record<string, unknown> {
  const interaction =
    event.subtype?.find((c) => c.system === auditSystems.operation)?.display ??
    event.subtype?.[0]?.code ??
    'unknown';
  const purposes = [
    ...(event.purposeOfEvent ?? []),
    ...(event.agent ?? []).flatMap((a) => a.purposeOfUse ?? []),
  ];
  const btg = purposes.some((p) =>
    p.coding?.some((c) => c.system === auditSystems.actReason && c.code === 'BTG'),
  );
  const resources = (event.entity ?? [])
    .filter((e) => e.role?.code === '4' && e.what?.reference)
    .map((e) => ({ name: 'resource', valueReference: { reference: e.what?.reference } }));
  return {
    name: 'access',
    part: [
      { name: 'when', valueInstant: event.recorded },
      { name: 'interaction', valueCode: interaction },
      { name: 'action', valueCode: event.action },
      { name: 'outcome', valueCode: event.outcome },
      ...resources,
      { name: 'breakTheGlass', valueBoolean: btg },
      { name: 'event', valueReference: { reference: `AuditEvent/${event.id}` } },
    ],
  };
}

export const patientWhoViewed: FhirOperation = { definition, methods: ['GET'], handler: whoViewed };
