import { badRequest } from '@hospitium/fhir';
import type { FhirOperation } from '../../../fhir/operations/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../../../fhir/types.js';
import { assembleBoard, type BoardFilter, type BoardStatus, boardStatuses } from '../board/assemble.js';
import { loadBoardData } from '../board/load.js';
import { adtDefinition, returnParameter } from './definition.js';

const definition = adtDefinition({
  code: 'bed-board',
  resource: 'Location',
  level: 'type',
  affectsState: false,
  title: 'Bed board',
  description:
    "Units × rooms × beds with each bed's status (occupied, clean, dirty, cleaning, blocked), occupant (patient, MRN, sex, age, encounter, attending, since), open cleaning Task, census per unit and the patients waiting for a bed (planned admissions, emergency patients, today's appointments), in one answer. Filters: unit (Location id or unit code, repeatable or comma-separated), status (board statuses, comma-separated).",
  parameter: [
    { name: 'unit', use: 'in', min: 0, max: '*', type: 'string' },
    { name: 'status', use: 'in', min: 0, max: '*', type: 'code' },
    returnParameter('Parameters'),
  ],
});

function parseFilter(query: URLSearchParams): BoardFilter {
  const filter: BoardFilter = {};
  for (const [name, raw] of query) {
    const values = raw
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    switch (name) {
      case 'unit':
        filter.units = [...(filter.units ?? []), ...values];
        break;
      case 'status':
        for (const v of values) {
          if (!(boardStatuses as readonly string[]).includes(v)) {
            throw badRequest(`status must be one of ${boardStatuses.join(', ')} (got '${v}')`, 'http.status');
          }
        }
        filter.statuses = [...(filter.statuses ?? []), ...(values as BoardStatus[])];
        break;
      case '_format':
      case '_pretty':
        break;
      default:
        throw badRequest(
          `Unknown parameter '${name}' for $bed-board (it takes unit and status)`,
          `http.${name}`,
        );
    }
  }
  return filter;
}

/** `GET [base]/Location/$bed-board[?unit=…][&status=…]` — see the module README for the answer's shape. */
async function bedBoard(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const filter = parseFilter(req.query);
  const now = new Date();
  const data = await loadBoardData(ctx.repository, now);
  return { status: 200, headers: { 'cache-control': 'no-store' }, body: assembleBoard(data, filter, now) };
}

export const bedBoardOperation: FhirOperation = { definition, methods: ['GET'], handler: bedBoard };
