import { randomUUID } from 'node:crypto';
import {
  type Bundle,
  type BundleEntry,
  badRequest,
  multipleMatches,
  type Resource,
  validateResource,
} from '@hospitium/fhir';
import { createEntries } from '../../../audit/bundle-entries.js';
import {
  assertNotLive,
  criteriaQuery,
  findMatches,
  findMatchesForWrites,
  matchRequest,
} from '../../conditional/match.js';
import type { PreferReturn } from '../../headers.js';
import { handleFhirRequest } from '../../router.js';
import type { FhirContext } from '../../types.js';
import { withoutId } from '../create.js';
import { entryRequest, type PlannedEntry, processingOrder } from './entries.js';
import { entryFailure, resourceEntry, responseEntry, responseError } from './entry-response.js';
import type { ProcessBundleOptions } from './process-bundle.js';
import { findBundleReferences, resolveConditionalReferences, rewriteReferences } from './references.js';

/**
 * Runs a transaction bundle in one repository transaction: all entries succeed or nothing is
 * stored. Before anything runs, every POST gets its id and every conditional target
 * (`ifNoneExist`, `PUT [type]?criteria`) is resolved, so `urn:uuid` fullUrls and conditional
 * references are rewritten to real ids throughout the bundle; then entries run in R4 order
 * (DELETE, POST, PUT/PATCH, GET). Plain POSTs go to the repository as one bulk create.
 * The first failing entry fails the bundle with its status, naming `Bundle.entry[i]`.
 */
export async function runTransaction(
  entries: PlannedEntry[],
  ctx: FhirContext,
  prefer: PreferReturn,
  options: Pick<ProcessBundleOptions, 'onConditionalMatch' | 'skipUnchanged'> = {},
): Promise<Bundle> {
  const responses = await ctx.repository.withTransaction(async (repository) => {
    // Entries were authorised before the transaction began. A transaction is one interaction
    // with one AuditEvent (the bundle's, naming every patient and resource its entries touched,
    // seen through the repository), so the entries themselves are not audited one by one.
    // No database reads beside the transaction (PGlite is one session): `$match` is not offered inside.
    const tx: FhirContext = {
      ...ctx,
      repository,
      preauthorized: true,
      audit: undefined,
      patientCandidates: undefined,
    };
    const targets = new Map<string, string>();
    const matches = await conditionalMatches(entries, tx);
    if (options.onConditionalMatch) {
      for (const [entry, found] of matches) options.onConditionalMatch(entry.index, found, entry.resource);
    }
    for (const entry of entries)
      await guard(entry, () => resolveTarget(entry, targets, tx, matches.get(entry)));
    checkDuplicates(entries);

    const references = findBundleReferences(entries, targets);
    const failures = [
      ...(await resolveConditionalReferences(references, targets, tx)),
      ...rewriteReferences(references, targets),
    ];
    if (failures.length > 0) {
      const first = failures.reduce((a, b) => (b.entryIndex < a.entryIndex ? b : a));
      throw entryFailure(entries[first.entryIndex], first.error);
    }

    const out: BundleEntry[] = new Array(entries.length);
    const ordered = processingOrder(entries);
    // Every create with an id decided above (plain POSTs, conditional updates that match nothing)
    // runs as one bulk create, at the place of the first of them.
    const creates = ordered.filter(
      (e) => (e.method === 'POST' && e.assignedId !== undefined) || e.createsNew,
    );
    for (const entry of ordered) {
      if (entry === creates[0]) await createAll(creates, out, tx, prefer);
      if (entry.method === 'POST') {
        if (entry.existing) out[entry.index] = resourceEntry(entry.existing, 200, tx, prefer);
        continue;
      }
      if (entry.createsNew) continue;
      if (options.skipUnchanged && entry.current && sameContent(entry.current, entry.resource)) {
        out[entry.index] = unchangedEntry(entry.current, tx, prefer);
        continue;
      }
      const res = await guard(entry, () => handleFhirRequest(entryRequest(entry), tx));
      if (res.status >= 400) throw entryFailure(entry, responseError(res));
      out[entry.index] = responseEntry(res, tx, prefer);
    }
    return out;
  });
  return { resourceType: 'Bundle', id: randomUUID(), type: 'transaction-response', entry: responses };
}

async function guard<T>(entry: PlannedEntry, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw entryFailure(entry, err);
  }
}

/**
 * Decides what an entry writes before anything runs: a POST gets a new id (or, with a matching
 * `ifNoneExist`, the existing resource); `PUT [type]?criteria` becomes `PUT [type]/[id]`.
 * Records `fullUrl → Type/id` for reference rewriting.
 */
async function resolveTarget(
  entry: PlannedEntry,
  targets: Map<string, string>,
  ctx: FhirContext,
  found: Resource[] | undefined,
): Promise<void> {
  const type = entry.segments[0];
  let id: string | undefined;
  if (entry.method === 'POST') {
    const criteria = entry.request.ifNoneExist;
    const matches = criteria
      ? (found ?? (await findMatches(type, criteriaQuery(criteria, type), ctx, { lockForWrite: true })))
      : [];
    if (matches.length > 1) throw multipleMatches(`ifNoneExist '${criteria}' matched more than one ${type}`);
    if (matches.length === 1) {
      entry.existing = matches[0];
      id = matches[0].id;
    } else {
      id = randomUUID();
      entry.assignedId = id;
    }
  } else if (entry.method === 'PUT' && entry.resource) {
    if (entry.segments.length === 1) {
      const matches = found ?? (await findMatches(type, entry.query, ctx, { lockForWrite: true }));
      if (matches.length > 1)
        throw multipleMatches(`Conditional update '${entry.url}' matched more than one ${type}`);
      const bodyId = entry.resource.id;
      id = matches.length === 1 ? matches[0].id : typeof bodyId === 'string' ? bodyId : randomUUID();
      if (bodyId !== undefined && bodyId !== id) {
        throw badRequest(`Resource id '${String(bodyId)}' differs from the matching resource ${type}/${id}`);
      }
      if (matches.length === 0 && bodyId !== undefined) await assertNotLive(type, id as string, ctx);
      if (matches.length === 1) entry.current = matches[0];
      // A new id no one has: no need to look for a live resource with it before writing.
      if (matches.length === 0 && bodyId === undefined) entry.createsNew = true;
      entry.resource = { ...entry.resource, id };
      entry.segments = [type, id as string];
      entry.query = new URLSearchParams();
    } else {
      id = entry.segments[1];
    }
  }
  if (id !== undefined && entry.fullUrl) {
    if (targets.has(entry.fullUrl))
      throw badRequest(`fullUrl '${entry.fullUrl}' appears in more than one entry`);
    targets.set(entry.fullUrl, `${type}/${id}`);
  }
}

/**
 * The matches of every conditional write (`ifNoneExist`, `PUT [type]?criteria`), locked and
 * searched together: two statements for the whole bundle instead of two per entry. Criteria
 * that cannot be searched fail on their own entry.
 */
async function conditionalMatches(
  entries: readonly PlannedEntry[],
  ctx: FhirContext,
): Promise<Map<PlannedEntry, Resource[]>> {
  const conditional: PlannedEntry[] = [];
  const lookups: Parameters<typeof findMatchesForWrites>[0][number][] = [];
  for (const entry of entries) {
    const type = entry.segments[0];
    const ifNoneExist = entry.method === 'POST' ? entry.request.ifNoneExist : undefined;
    const conditionalPut = entry.method === 'PUT' && entry.resource && entry.segments.length === 1;
    if (!ifNoneExist && !conditionalPut) continue;
    const lookup = await guard(entry, async () => {
      const query = ifNoneExist ? criteriaQuery(ifNoneExist, type) : entry.query;
      return { resourceType: type, query, request: matchRequest(type, query) };
    });
    conditional.push(entry);
    lookups.push(lookup);
  }
  const found = await findMatchesForWrites(lookups, ctx);
  return new Map(conditional.map((entry, i) => [entry, found[i] ?? []]));
}

/** The informational issue code of an update skipped because nothing changed (`skipUnchanged`). */
export const unchangedCode = 'informational';
export const unchangedText = 'No change: the resource already has this content, so no new version was made';

/** The response entry of a skipped update: the current version, and why nothing was written. */
function unchangedEntry(current: Resource, ctx: FhirContext, prefer: PreferReturn): BundleEntry {
  const entry = resourceEntry(current, 200, ctx, prefer);
  entry.response = {
    ...entry.response,
    status: entry.response?.status ?? '200 OK',
    outcome: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'information', code: unchangedCode, diagnostics: unchangedText }],
    },
  };
  return entry;
}

/** Two versions of a resource say the same, whatever their key order, meta.versionId and meta.lastUpdated. */
function sameContent(stored: Resource, incoming: Resource | undefined): boolean {
  if (!incoming) return false;
  return canonical(withoutVersionMeta(stored)) === canonical(withoutVersionMeta(incoming));
}

function withoutVersionMeta(resource: Resource): Resource {
  const { meta, ...rest } = resource;
  if (!meta) return rest as Resource;
  const { versionId: _v, lastUpdated: _l, ...kept } = meta;
  return (Object.keys(kept).length > 0 ? { ...rest, meta: kept } : rest) as Resource;
}

/** JSON with object keys sorted at every level. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** A transaction may touch each resource once (R4): two writes to one resource → 400. */
function checkDuplicates(entries: readonly PlannedEntry[]): void {
  const seen = new Map<string, number>();
  for (const entry of entries) {
    if (entry.method === 'GET' || entry.method === 'HEAD') continue;
    let key: string | undefined;
    if (entry.existing) key = `${entry.existing.resourceType}/${entry.existing.id}`;
    else if (entry.assignedId === undefined) {
      key =
        entry.segments.length >= 2
          ? `${entry.segments[0]}/${entry.segments[1]}`
          : `${entry.segments[0]}?${entry.query}`;
    }
    if (key === undefined) continue;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw entryFailure(entry, badRequest(`${key} is already the target of Bundle.entry[${earlier}]`));
    }
    seen.set(key, entry.index);
  }
}

/** Creates all new resources of the bundle in one bulk call; on failure names the entry at fault. */
async function createAll(
  posts: PlannedEntry[],
  out: BundleEntry[],
  ctx: FhirContext,
  prefer: PreferReturn,
): Promise<void> {
  const resources = posts.map((e) => withoutId(e.resource as Resource));
  let created: Resource[];
  try {
    created = await createEntries(
      ctx,
      resources,
      posts.map((e) => e.assignedId ?? (e.segments[1] as string)),
    );
  } catch (err) {
    const at = culprit(posts, resources);
    throw at ? entryFailure(at, err) : err;
  }
  created.forEach((resource, i) => {
    out[posts[i].index] = resourceEntry(resource, 201, ctx, prefer);
  });
}

/** The first entry the validator rejects (a bulk error does not say which resource failed). */
function culprit(posts: PlannedEntry[], resources: Resource[]): PlannedEntry | undefined {
  const i = resources.findIndex((r) =>
    validateResource(r, r.resourceType).some((x) => x.severity === 'error'),
  );
  return i < 0 ? undefined : posts[i];
}
