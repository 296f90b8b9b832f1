import { sqlState } from '@hospitium/db';
import { type OperationOutcome, type Resource, toOperationOutcomeError } from '@hospitium/fhir';
import type { FhirContext, FhirRequest, FhirResponse, ResolvedRequest } from '../fhir/types.js';
import { buildRestEvent } from './build-event.js';
import { type AuditedInteraction, classifyRequest, namedPatient, queriedPatients } from './interaction.js';
import { TouchedResources, trackingRepository } from './touched.js';
import type { RequestAudit } from './types.js';

/**
 * Runs one FHIR request and records its AuditEvent (IHE BALP): one per request, failures
 * included. `resolve` checks the request (path, method, permission) before anything runs. A
 * change (create, update, patch, delete) then runs in one database transaction that also
 * inserts its event, so the change and its record commit together. A transaction bundle opens
 * its own transaction after authorising every entry (which reads the database, so it cannot run
 * inside one on PGlite): it is one interaction with one event, naming every patient and every
 * resource version its entries touched, stored by group commit right after the bundle commits
 * and before the answer goes out (ingest of a 300-resource bundle writes one event, not 300). Every other request (reads, searches, operations, failures) queues
 * its event for group commit and waits until it is stored before answering. Without
 * `ctx.audit` the request just runs.
 */
export async function auditedRequest(
  req: FhirRequest,
  ctx: FhirContext,
  resolve: (req: FhirRequest, ctx: FhirContext) => Promise<ResolvedRequest>,
): Promise<FhirResponse> {
  const audit = ctx.audit;
  const interaction = audit ? classifyRequest(req.method, req.segments, req.body) : undefined;
  if (!audit || !interaction) {
    const resolved = await resolve(req, ctx);
    if (!('handler' in resolved)) return resolved;
    const response = await resolved.handler(resolved.request, ctx);
    return resolved.check ? resolved.check(response, ctx) : response;
  }
  const touched = new TouchedResources();
  // A break-the-glass grant that allowed the request (FhirResponse.emergency) is recorded as
  // purpose of use BTG with the grant's reason.
  let emergency = audit.emergency;
  const noteEmergency = (res: FhirResponse) => {
    if (res.emergency) emergency = { reason: res.emergency.reason };
  };
  const event = (status: number, outcomeDesc?: string): Resource =>
    restEvent(req, ctx, { ...audit, emergency }, interaction, touched, status, outcomeDesc);

  let response: FhirResponse;
  try {
    const resolved = await resolve(req, ctx);
    if ('handler' in resolved && resolved.emergency) emergency = { reason: resolved.emergency.reason };
    const check = async (res: FhirResponse) => {
      const checked = 'handler' in resolved && resolved.check ? await resolved.check(res, ctx) : res;
      noteEmergency(checked);
      return checked;
    };
    if (!('handler' in resolved)) {
      response = resolved;
    } else if (interaction.changes && interaction.interaction !== 'transaction') {
      const attempt = () => {
        touched.clear();
        return ctx.repository.withTransaction(async (repository) => {
          const inner: FhirContext = {
            ...ctx,
            repository: trackingRepository(repository, touched),
            audit: { ...audit, transaction: repository },
          };
          const res = await resolved.handler(resolved.request, inner);
          if (res.status < 400) await audit.recorder.writeIn(repository, [event(res.status)]);
          return res;
        });
      };
      // A single write runs again when it lost a race (as the repository's own transactions do);
      // a bundle cannot (its entries were rewritten in place), nor a write inside one.
      const retry = !audit.transaction && interaction.interaction !== 'transaction';
      response = retry ? await withRaceRetry(attempt) : await attempt();
      // The response check reads the database: after the write's transaction, never inside it.
      response = await check(response);
      if (response.status < 400) return response;
    } else {
      const inner = { ...ctx, repository: trackingRepository(ctx.repository, touched) };
      response = await check(await resolved.handler(resolved.request, inner));
      if (response.status < 400 && !audit.recorder.auditReads && !emergency && !interaction.changes) {
        return response;
      }
    }
  } catch (err) {
    const failure = toOperationOutcomeError(err);
    await recordFailure(ctx, audit, event(failure.status, failure.message));
    throw err;
  }
  if (response.status >= 400) {
    await recordFailure(ctx, audit, event(response.status, outcomeText(response.body)));
  } else if (audit.transaction) {
    await audit.recorder.writeIn(audit.transaction, [event(response.status)]);
  } else {
    await audit.recorder.record(event(response.status));
  }
  return response;
}

/** SQLSTATEs of a lost race: serialisation failure, deadlock, a parallel first insert of one id. */
const raceStates: ReadonlySet<string | undefined> = new Set(['40001', '40P01', '23505']);

/** Runs a whole write transaction, again (up to 4 times in all) when it lost a race. */
async function withRaceRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const state = sqlState(err) ?? sqlState((err as { cause?: unknown } | undefined)?.cause);
      if (n >= 4 || !raceStates.has(state)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 2 ** n * 5 + Math.random() * 10));
    }
  }
}

/**
 * Records the event of a failed request. Inside a transaction bundle nothing is written: the
 * failure fails the whole bundle, its transaction rolls back, and the bundle's own event records
 * the failure. A failure to store the event is logged; the client still gets the original error.
 */
async function recordFailure(ctx: FhirContext, audit: RequestAudit, event: Resource): Promise<void> {
  if (audit.transaction) return;
  try {
    await audit.recorder.record(event);
  } catch (err) {
    ctx.logger.error({ err }, 'could not record the AuditEvent of a failed request');
  }
}

function restEvent(
  req: FhirRequest,
  ctx: FhirContext,
  audit: RequestAudit,
  interaction: AuditedInteraction,
  touched: TouchedResources,
  status: number,
  outcomeDesc: string | undefined,
): Resource {
  const patients = touched.patients();
  const named = namedPatient(req.segments);
  if (named && !patients.includes(named)) patients.unshift(named);
  if (interaction.search) {
    for (const id of queriedPatients(new URLSearchParams(searchQuery(req))))
      if (!patients.includes(id)) patients.push(id);
  }
  return buildRestEvent({
    requester: {
      access: ctx.access,
      networkAddress: audit.networkAddress,
      emergency: audit.emergency,
      purposeOfUse: audit.purposeOfUse,
    },
    interaction: status === 201 && interaction.interaction === 'update' ? 'create' : interaction.interaction,
    operation: interaction.operation,
    action: status === 201 && interaction.action === 'U' ? 'C' : interaction.action,
    status,
    outcomeDesc,
    patients,
    objects: objectsOf(interaction, touched, status),
    query: interaction.search ? searchQuery(req) : undefined,
    observer: ctx.baseUrl,
  });
}

/** The resources acted on: what a write wrote (each version), or the resource the URL names. */
function objectsOf(interaction: AuditedInteraction, touched: TouchedResources, status: number): string[] {
  const writes = ['create', 'update', 'patch', 'delete', 'transaction'];
  if (status < 400 && writes.includes(interaction.interaction)) {
    const written = touched.written.map((r) => `${r.resourceType}/${r.id}/_history/${r.meta?.versionId}`);
    if (written.length > 0) return [...new Set(written)];
  }
  return interaction.target ? [interaction.target] : [];
}

/** The search parameters as sent: URL query plus a form body (POST `_search`). */
function searchQuery(req: FhirRequest): string {
  const query = new URLSearchParams(req.query);
  if (req.body instanceof URLSearchParams) for (const [k, v] of req.body) query.append(k, v);
  return query.toString();
}

function outcomeText(body: FhirResponse['body']): string | undefined {
  if (typeof body !== 'object' || body.resourceType !== 'OperationOutcome') return undefined;
  const outcome = body as OperationOutcome;
  return outcome.issue.map((i) => i.details?.text ?? i.diagnostics ?? i.code).join('; ');
}
