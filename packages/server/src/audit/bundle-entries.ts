import { type Resource, toOperationOutcomeError } from '@hospitium/fhir';
import type { FhirContext } from '../fhir/types.js';
import { buildRestEvent } from './build-event.js';
import { classifyRequest, namedPatient } from './interaction.js';
import { patientsOf } from './patients.js';
import type { RequestAudit } from './types.js';

/**
 * Creates the plain POST entries of a bundle in one bulk call with one AuditEvent per entry
 * (create, action C, its patient), in one transaction: the caller's (transaction bundle) or
 * one opened here (batch), so no resource is stored without its event. Entries of a bundle that
 * run through the router are audited there; this covers the ones bundle processing creates
 * itself.
 */
export async function createEntries(
  ctx: FhirContext,
  resources: Resource[],
  ids: string[],
): Promise<Resource[]> {
  const audit = ctx.audit;
  if (!audit) return ctx.repository.createResources(resources, { ids });
  return ctx.repository.withTransaction(async (repository) => {
    const created = await repository.createResources(resources, { ids });
    const events = created.map((resource) =>
      buildRestEvent({
        requester: requesterOf(ctx, audit),
        interaction: 'create',
        action: 'C',
        status: 201,
        patients: patientsOf(resource),
        objects: [`${resource.resourceType}/${resource.id}/_history/${resource.meta?.versionId}`],
        observer: ctx.baseUrl,
      }),
    );
    await audit.recorder.writeIn(audit.transaction ?? repository, events);
    return created;
  });
}

/**
 * Records a batch entry refused before it ran (403 from authorisation, 400 for a malformed
 * entry). Entries of a transaction bundle need none: any refusal fails the whole bundle, which
 * is recorded by its own event.
 */
export async function recordEntryRefusal(
  ctx: FhirContext,
  method: string | undefined,
  segments: readonly string[],
  err: unknown,
): Promise<void> {
  const audit = ctx.audit;
  if (!audit || audit.transaction) return;
  const interaction = classifyRequest(method ?? 'GET', segments, undefined);
  if (!interaction) return;
  const failure = toOperationOutcomeError(err);
  const patient = namedPatient(segments);
  const event = buildRestEvent({
    requester: requesterOf(ctx, audit),
    interaction: interaction.interaction,
    operation: interaction.operation,
    action: interaction.action,
    status: failure.status,
    outcomeDesc: failure.message,
    patients: patient ? [patient] : [],
    objects: interaction.target ? [interaction.target] : [],
    observer: ctx.baseUrl,
  });
  try {
    await audit.recorder.record(event);
  } catch (error) {
    ctx.logger.error({ err: error }, 'could not record the AuditEvent of a refused bundle entry');
  }
}

function requesterOf(ctx: FhirContext, audit: RequestAudit) {
  return {
    access: ctx.access,
    networkAddress: audit.networkAddress,
    emergency: audit.emergency,
    purposeOfUse: audit.purposeOfUse,
  };
}
