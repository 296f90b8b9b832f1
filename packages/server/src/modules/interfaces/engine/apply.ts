import { type ChangeListener, createRepository, type Database, type Repository } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { internalAccess } from '../../../auth/tokens/access-context.js';
import { processBundle } from '../../../fhir/interactions/bundle/process-bundle.js';
import type { FhirContext, FhirLogger } from '../../../fhir/types.js';
import { applyFeedBedChanges } from '../../adt/feed-beds.js';
import type { MappedMessage } from '../mapping/map-message.js';
import { mappingError } from '../mapping/mapping-error.js';
import { transactionDatabase } from '../store/transaction-database.js';

/** What a committed message produced. */
export interface Applied<T> {
  /** `Patient/1/_history/2` for every entry, in bundle order. */
  result: string[];
  /** What `claim` returned. */
  claimed: T;
}

/**
 * Applies a mapped message in ONE database transaction together with its message-store row:
 * `claim` writes the row first (and may refuse: a resend already applied, then nothing else
 * runs), then A40 merges and preserved fields are resolved against the stored patients, then
 * the Bundle runs through `processBundle`, then the beds its encounters left or took are made
 * dirty (with a cleaning Task) or occupied (ADT module). Any failure rolls back the row and the FHIR changes.
 */
export async function applyInTransaction<T>(
  db: Database,
  mapped: MappedMessage,
  options: { baseUrl: string; logger: FhirLogger; onChange?: ChangeListener },
  claim: (tx: { query: Database['query'] }) => Promise<T | undefined>,
  after: (tx: { query: Database['query'] }, result: string[]) => Promise<void>,
): Promise<Applied<T> | undefined> {
  return db.transaction(async (tx) => {
    const claimed = await claim(tx);
    if (claimed === undefined) return undefined;
    const repository = createRepository(transactionDatabase(db, tx), { onChange: options.onChange });
    await preserveFields(repository, mapped);
    await completeMerges(repository, mapped);
    // The engine applies what an authenticated peer sent on a configured channel: it acts as the
    // server itself, like `hospitium import`.
    const ctx: FhirContext = {
      repository,
      baseUrl: options.baseUrl,
      logger: options.logger,
      access: internalAccess,
    };
    const response = await processBundle(mapped.bundle, ctx, { prefer: 'return=minimal' });
    const result = (response.entry ?? []).map((e) => e.response?.location ?? '').filter(Boolean);
    // Beds follow the encounters the message moved (dirty when left, occupied when taken), as
    // the ADT operations keep them, in the same transaction.
    // (withTransaction joins the message's transaction; the bed locks need a bound repository.)
    const encounters = await writtenEncounters(repository, mapped, response.entry ?? []);
    await repository.withTransaction((bound) => applyFeedBedChanges(bound, encounters));
    await after(tx, result);
    return { result, claimed };
  });
}

/**
 * The encounters the message wrote, as `Encounter/{id}/_history/{n}` (a response gives the
 * location of a create only; an update's id comes from its URL, a conditional one's from a search).
 */
async function writtenEncounters(
  repository: Repository,
  mapped: MappedMessage,
  responses: readonly { response?: { location?: string; etag?: string } }[],
): Promise<string[]> {
  const out: string[] = [];
  for (const [index, entry] of (mapped.bundle.entry ?? []).entries()) {
    if (entry.resource?.resourceType !== 'Encounter') continue;
    const response = responses[index]?.response;
    const version = /(\d+)/.exec(response?.etag ?? '')?.[1];
    if (response?.location?.startsWith('Encounter/')) {
      out.push(response.location);
      continue;
    }
    const url = entry.request?.url ?? '';
    const id = url.startsWith('Encounter/')
      ? url.slice(10)
      : url.startsWith('Encounter?')
        ? (await findByIdentifier(repository, 'Encounter', url))[0]?.id
        : undefined;
    if (id && version) out.push(`Encounter/${id}/_history/${version}`);
  }
  return out;
}

async function findByIdentifier(repository: Repository, type: string, url: string): Promise<Resource[]> {
  const criteria = new URLSearchParams(url.slice(url.indexOf('?') + 1));
  const values = criteria.getAll('identifier');
  const res = await repository.search({
    resourceType: type,
    filters: [{ code: 'identifier', values }],
    count: 2,
  });
  return res.resources;
}

/**
 * Resolves conditional updates against what is stored: a message that acts on an existing
 * resource (an order cancel) fails when it is unknown; fields a v2 message does not convey
 * (Patient.link after a merge, an order's code on a cancel, a document's content on a status
 * change) are carried over into the update; fallbacks fill what is still missing.
 */
async function preserveFields(repository: Repository, mapped: MappedMessage): Promise<void> {
  const entries = mapped.bundle.entry ?? [];
  const indexes = new Set([
    ...mapped.preserve.keys(),
    ...mapped.mustExist.keys(),
    ...mapped.fallbacks.keys(),
  ]);
  for (const index of indexes) {
    const entry = entries[index];
    if (!entry?.resource || !entry.request?.url.includes('?')) continue;
    const found = await findByIdentifier(repository, entry.resource.resourceType, entry.request.url);
    const required = mapped.mustExist.get(index);
    if (required && found.length === 0)
      throw mappingError(required.location, `${required.what} is not known`, 'not-found');
    if (found.length === 1) {
      for (const field of mapped.preserve.get(index) ?? []) carryOver(found[0], entry.resource, field);
    }
    for (const [field, value] of Object.entries(mapped.fallbacks.get(index) ?? {})) {
      if (entry.resource[field] === undefined) entry.resource[field] = value;
    }
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
