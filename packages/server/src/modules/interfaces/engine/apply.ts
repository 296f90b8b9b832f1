import { type ChangeListener, createRepository, type Database, type Repository } from '@hospitium/db';
import type { BundleEntry, OperationOutcome, Resource } from '@hospitium/fhir';
import { internalAccess } from '../../../auth/tokens/access-context.js';
import { processBundle } from '../../../fhir/interactions/bundle/process-bundle.js';
import { unchangedText } from '../../../fhir/interactions/bundle/transaction.js';
import type { FhirContext, FhirLogger } from '../../../fhir/types.js';
import { applyFeedBedChanges, type WrittenEncounter } from '../../adt/feed-beds.js';
import type { MappedMessage } from '../mapping/map-message.js';
import { mappingError } from '../mapping/mapping-error.js';
import { transactionDatabase } from '../store/transaction-database.js';

/** What a committed message produced. */
export interface Applied<T> {
  /** `Patient/1/_history/2` for every entry, in bundle order. */
  result: string[];
  /** What `finish` returned. */
  claimed: T;
}

/** Thrown to roll the message's transaction back when `finish` refuses it (a resend). */
class Refused extends Error {}

/**
 * Applies a mapped message in ONE database transaction together with its message-store row:
 * A40 merges are resolved against the stored patients, the Bundle runs through `processBundle`
 * (conditional entries completed with what they matched, unchanged updates skipped), the beds
 * its encounters left or took are made dirty (with a cleaning Task) or occupied (ADT module),
 * then `finish` writes the row with the result. `finish` may refuse (a resend already applied:
 * its insert waited for the first one's commit, then found it) and then everything rolls back
 * and undefined is returned. Any failure rolls back the row and the FHIR changes.
 */
export async function applyInTransaction<T>(
  db: Database,
  mapped: MappedMessage,
  options: { baseUrl: string; logger: FhirLogger; onChange?: ChangeListener },
  finish: (tx: { query: Database['query'] }, result: string[]) => Promise<T | undefined>,
): Promise<Applied<T> | undefined> {
  try {
    return await db.transaction(async (tx) => {
      const repository = createRepository(transactionDatabase(db, tx), { onChange: options.onChange });
      await completeMerges(repository, mapped);
      // The engine applies what an authenticated peer sent on a configured channel: it acts as the
      // server itself, like `hospitium import`.
      const ctx: FhirContext = {
        repository,
        baseUrl: options.baseUrl,
        logger: options.logger,
        access: internalAccess,
      };
      // Feeds resend whole records (every A08 repeats the visit): an update that changes nothing
      // makes no new version. Fields the message does not convey are carried over from what each
      // conditional entry matched, found with the transaction's own lookups.
      const response = await processBundle(mapped.bundle, ctx, {
        skipUnchanged: true,
        onConditionalMatch: (index, matches, resource) => preserveFields(mapped, index, matches, resource),
      });
      const entries = response.entry ?? [];
      const result = entries.map((e) => e.response?.location ?? locationOf(e)).filter(Boolean);
      // Beds follow the encounters the message moved (dirty when left, occupied when taken), as
      // the ADT operations keep them, in the same transaction.
      // (withTransaction joins the message's transaction; the bed locks need a bound repository.)
      const encounters = writtenEncounters(entries);
      await repository.withTransaction((bound) => applyFeedBedChanges(bound, encounters));
      const claimed = await finish(tx, result);
      if (claimed === undefined) throw new Refused();
      return { result, claimed };
    });
  } catch (err) {
    if (err instanceof Refused) return undefined;
    throw err;
  }
}

/** `Type/id/_history/n` of a response entry that has its resource (written or left unchanged). */
function locationOf(entry: BundleEntry): string {
  const resource = entry.resource;
  const version = resource?.meta?.versionId;
  return resource?.id && version ? `${resource.resourceType}/${resource.id}/_history/${version}` : '';
}

/**
 * The encounter versions the message wrote, with their content (the response entries carry it).
 * An update that changed nothing wrote none, so it moves no bed.
 */
function writtenEncounters(entries: readonly BundleEntry[]): WrittenEncounter[] {
  return entries.flatMap((entry) => {
    const resource = entry.resource;
    if (resource?.resourceType !== 'Encounter' || !resource.id || !resource.meta?.versionId) return [];
    const outcome = entry.response?.outcome as OperationOutcome | undefined;
    const unchanged = outcome?.issue?.some((i) => i.diagnostics === unchangedText);
    return unchanged ? [] : [{ id: resource.id, versionId: Number(resource.meta.versionId), resource }];
  });
}

async function findByIdentifier(repository: Repository, type: string, url: string): Promise<Resource[]> {
  const criteria = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  const values = criteria.getAll('identifier');
  const res = await repository.search({
    resourceType: type,
    filters: [{ code: 'identifier', values }],
    count: 2,
    fewMatches: true,
  });
  return res.resources;
}

/**
 * Completes a conditional entry with what its criteria matched: a message that acts on an
 * existing resource (an order cancel) fails when it is unknown; fields a v2 message does not
 * convey (Patient.link after a merge, an order's code on a cancel, a document's content on a
 * status change) are carried over into the update; fallbacks fill what is still missing.
 */
function preserveFields(
  mapped: MappedMessage,
  index: number,
  found: readonly Resource[],
  resource: Resource | undefined,
): void {
  if (!resource) return;
  const required = mapped.mustExist.get(index);
  if (required && found.length === 0)
    throw mappingError(required.location, `${required.what} is not known`, 'not-found');
  if (found.length === 1) {
    for (const field of mapped.preserve.get(index) ?? []) carryOver(found[0], resource, field);
  }
  for (const [field, value] of Object.entries(mapped.fallbacks.get(index) ?? {})) {
    if (resource[field] === undefined) resource[field] = value;
  }
}

/**
 * Copies `field` from the stored resource when the new one lacks it. A choice element named
 * `occurrence[x]` is carried over only when the new resource has none of its variants, so a
 * stored `occurrencePeriod` never joins a new `occurrenceDateTime`.
 */
function carryOver(stored: Resource, resource: Resource, field: string): void {
  if (field.endsWith('[x]')) {
    const base = field.slice(0, -3);
    const variant = (key: string) => key.startsWith(base) && /^[A-Z]/.test(key.slice(base.length));
    if (Object.keys(resource).some(variant)) return;
    for (const key of Object.keys(stored).filter(variant)) resource[key] = stored[key];
    return;
  }
  if (stored[field] !== undefined && resource[field] === undefined) resource[field] = stored[field];
}

/**
 * A40: the prior patient (MRG-1) is found by identifier, marked inactive and linked
 * `replaced-by` the survivor, which gets a `replaces` link; both keep their history.
 */
async function completeMerges(repository: Repository, mapped: MappedMessage): Promise<void> {
  const entries = mapped.bundle.entry ?? [];
  for (const merge of mapped.merges) {
    const url = `Patient?identifier=${encodeURIComponent(merge.prior.system)}|${encodeURIComponent(merge.prior.value)}`;
    const found = await findByIdentifier(repository, 'Patient', url);
    if (found.length === 0) {
      throw mappingError(
        merge.source,
        `Prior patient ${merge.prior.value} (MRG-1) is not known`,
        'not-found',
      );
    }
    if (found.length > 1) {
      throw mappingError(
        merge.source,
        `Prior patient ${merge.prior.value} (MRG-1) matches several patients`,
        'multiple-matches',
      );
    }
    const prior = found[0] as Resource & { id: string; link?: unknown[] };
    const survivor = entries[merge.survivorEntry]?.resource;
    if (!survivor) continue;
    const links = ((survivor.link as unknown[]) ?? []).filter(
      (l) => (l as { other?: { reference?: string } }).other?.reference !== `Patient/${prior.id}`,
    );
    survivor.link = [...links, { other: { reference: `Patient/${prior.id}` }, type: 'replaces' }];
    const { meta: _meta, ...priorBody } = prior;
    entries.push({
      fullUrl: `${'urn:uuid:'}${crypto.randomUUID()}`,
      resource: {
        ...priorBody,
        active: false,
        link: [
          ...((prior.link ?? []) as unknown[]).filter((l) => (l as { type?: string }).type !== 'replaced-by'),
          { other: { reference: merge.survivorUrl }, type: 'replaced-by' },
        ],
      },
      request: { method: 'PUT', url: `Patient/${prior.id}` },
    });
    mapped.sources.push(merge.source);
  }
}
