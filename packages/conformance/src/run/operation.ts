import type { Operation } from '../script/types.js';
import { getFixture, identityOf, parseLocation } from './fixtures.js';
import type { Exchange, HttpClient } from './http.js';
import { buildRequest } from './request.js';
import type { RunState } from './state.js';

/** The outcome of one operation: what was sent and answered, or why nothing was sent. */
export interface OperationResult {
  label: string;
  /** `GET http://…/Patient/1 → 200`, or the error. */
  summary: string;
  /** Set when the operation could not be performed (bad script, unreachable server). */
  error?: string;
}

/** After a successful create/update, the source fixture (or target) remembers its server identity. */
function remember(op: Operation, exchange: Exchange, state: RunState): void {
  const { status, body, headers } = exchange.response;
  if (status < 200 || status >= 300) return;
  const code = op.type?.code;
  const identity = identityOf(body) ?? parseLocation(headers.location ?? headers['content-location']);
  if (!identity) return;
  const fixtureId =
    code === 'create'
      ? op.sourceId
      : code?.startsWith('update') || code === 'patch'
        ? (op.targetId ?? op.sourceId)
        : undefined;
  if (!fixtureId) return;
  const fixture = getFixture(state, fixtureId);
  if (!fixture.exchange) fixture.created = identity;
}

/**
 * Performs one operation: builds the request, sends it, and records the exchange as the last
 * response, under `responseId` and `requestId`. Never throws: failures come back as `error`.
 */
export async function performOperation(
  op: Operation,
  state: RunState,
  client: HttpClient,
): Promise<OperationResult> {
  const label = op.label ?? op.description ?? op.type?.code ?? 'operation';
  let request: ReturnType<typeof buildRequest>;
  try {
    request = buildRequest(op, state);
  } catch (err) {
    return { label, summary: `${label}: not sent`, error: (err as Error).message };
  }
  try {
    const response = await client(request);
    const exchange: Exchange = { request, response };
    state.last = exchange;
    if (op.responseId) state.fixtures.set(op.responseId, { id: op.responseId, exchange });
    if (op.requestId) state.requests.set(op.requestId, request);
    remember(op, exchange, state);
    return { label, summary: `${request.method} ${request.url} → ${response.status}` };
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message;
    return {
      label,
      summary: `${request.method} ${request.url} → no response`,
      error: `${(err as Error).message}${cause ? ` (${cause})` : ''}`,
    };
  }
}
