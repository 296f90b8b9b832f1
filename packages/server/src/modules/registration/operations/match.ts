import { type Bundle, badRequest, notSupported, type Resource, validateResource } from '@hospitium/fhir';
import type { FhirOperation } from '../../../fhir/operations/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../../../fhir/types.js';
import type { Patient } from '../match/patient-fields.js';
import { type MatchGrade, scorePatient } from '../match/score.js';

/** The R4 OperationDefinition of `Patient/$match` (the parameters this server honours). */
const definition: FhirOperation['definition'] = {
  resourceType: 'OperationDefinition',
  id: 'Patient-match',
  url: 'http://hl7.org/fhir/OperationDefinition/Patient-match',
  name: 'PatientMatch',
  title: 'Find patient matches using MPI based logic',
  status: 'active',
  kind: 'operation',
  code: 'match',
  affectsState: false,
  resource: ['Patient'],
  system: false,
  type: true,
  instance: false,
  parameter: [
    { name: 'resource', use: 'in', min: 1, max: '1', type: 'Resource' },
    { name: 'onlyCertainMatches', use: 'in', min: 0, max: '1', type: 'boolean' },
    { name: 'count', use: 'in', min: 0, max: '1', type: 'integer' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle' },
  ],
};

/** The match-grade extension on `Bundle.entry.search` (FHIR R4). */
export const matchGradeUrl = 'http://hl7.org/fhir/StructureDefinition/match-grade';
const defaultCount = 10;
const maxCount = 50;

/** The parameters of one `$match` request. */
export interface MatchParameters {
  patient: Patient;
  onlyCertainMatches: boolean;
  count: number;
}

interface ParameterEntry {
  name?: unknown;
  resource?: unknown;
  valueBoolean?: unknown;
  valueInteger?: unknown;
}

/** Reads and checks the Parameters body; 400 naming the parameter for anything malformed. */
export function parseMatchParameters(body: unknown): MatchParameters {
  if (typeof body !== 'object' || body === null || (body as Resource).resourceType !== 'Parameters') {
    throw badRequest(
      '$match takes a Parameters resource with a Patient in parameter "resource"',
      'Parameters',
    );
  }
  const entries = (body as { parameter?: unknown }).parameter;
  if (entries !== undefined && !Array.isArray(entries)) {
    throw badRequest('Parameters.parameter must be an array', 'Parameters.parameter');
  }
  const params: Partial<MatchParameters> = { onlyCertainMatches: false, count: defaultCount };
  for (const [i, entry] of ((entries ?? []) as ParameterEntry[]).entries()) {
    const at = `Parameters.parameter[${i}]`;
    switch (entry?.name) {
      case 'resource': {
        if (params.patient) throw badRequest('$match takes one "resource"', at);
        const resource = entry.resource as Resource | undefined;
        if (resource?.resourceType !== 'Patient') {
          throw badRequest('"resource" must be a Patient', `${at}.resource`);
        }
        const issues = validateResource(resource, 'Patient').filter((x) => x.severity === 'error');
        if (issues.length > 0) {
          const first = issues[0]!;
          throw badRequest(
            `The Patient to match is not valid: ${first.details?.text ?? first.diagnostics ?? 'invalid'}`,
            `${at}.resource${first.expression?.[0] ? `.${first.expression[0].replace(/^Patient\.?/, '')}` : ''}`,
          );
        }
        params.patient = resource as Patient;
        break;
      }
      case 'onlyCertainMatches':
        if (typeof entry.valueBoolean !== 'boolean')
          throw badRequest('"onlyCertainMatches" takes valueBoolean', `${at}.valueBoolean`);
        params.onlyCertainMatches = entry.valueBoolean;
        break;
      case 'count':
        if (!Number.isInteger(entry.valueInteger) || (entry.valueInteger as number) < 1)
          throw badRequest('"count" takes a valueInteger of 1 or more', `${at}.valueInteger`);
        params.count = Math.min(entry.valueInteger as number, maxCount);
        break;
      default:
        throw badRequest(`Unknown parameter '${String(entry?.name)}' for $match`, `${at}.name`);
    }
  }
  if (!params.patient) throw badRequest('$match needs a Patient in parameter "resource"', 'Parameters');
  return params as MatchParameters;
}

/**
 * `POST Patient/$match`: the records that may be the same person as the Patient given, best
 * first, each with `search.score` and the match grade. Candidates come from indexed blocking
 * keys (`match/candidates.ts`), then every candidate is scored (`match/score.ts`);
 * `certainly-not` candidates are left out. The registration screen calls it before creating a
 * patient, and the patient search box with what the registrar typed.
 */
async function handler(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  if (!ctx.patientCandidates) {
    throw notSupported('$match needs the database; it is not available inside a bundle', 501);
  }
  const params = parseMatchParameters(req.body);
  const candidates = await ctx.patientCandidates.find(params.patient);
  const scored = candidates
    .map((patient) => ({ patient, ...scorePatient(params.patient, patient) }))
    .filter((m) => m.grade !== 'certainly-not' && (!params.onlyCertainMatches || m.grade === 'certain'))
    .sort((a, b) => b.score - a.score || (a.patient.id ?? '').localeCompare(b.patient.id ?? ''))
    .slice(0, params.onlyCertainMatches ? Math.min(params.count, 1) : params.count);
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: scored.length,
    entry: scored.map((m) => ({
      fullUrl: `${ctx.baseUrl}/Patient/${m.patient.id}`,
      resource: m.patient,
      search: {
        mode: 'match',
        score: m.score,
        extension: [{ url: matchGradeUrl, valueCode: m.grade satisfies MatchGrade }],
      },
    })) as Bundle['entry'],
  };
  return { status: 200, headers: {}, body: bundle };
}

export const patientMatch: FhirOperation = { definition, methods: ['POST'], handler };
