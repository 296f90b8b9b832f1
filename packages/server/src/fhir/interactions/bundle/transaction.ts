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
import { assertNotLive, criteriaQuery, findMatches } from '../../conditional/match.js';
import type { PreferReturn } from '../../headers.js';
import { handleFhirRequest } from '../../router.js';
import type { FhirContext } from '../../types.js';
import { withoutId } from '../create.js';
import { entryRequest, type PlannedEntry, processingOrder } from './entries.js';
import { entryFailure, resourceEntry, responseEntry, responseError } from './entry-response.js';
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
    for (const entry of entries) await guard(entry, () => resolveTarget(entry, targets, tx));
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
    const plainPosts = ordered.filter((e) => e.method === 'POST' && e.assignedId !== undefined);
    for (const entry of ordered) {
      if (entry.method === 'POST') {
        if (entry === plainPosts[0]) await createAll(plainPosts, out, tx, prefer);
        if (entry.existing) out[entry.index] = resourceEntry(entry.existing, 200, tx, prefer);
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
): Promise<void> {
  const type = entry.segments[0];
  let id: string | undefined;
  if (entry.method === 'POST') {
    const criteria = entry.request.ifNoneExist;
    const matches = criteria
      ? await findMatches(type, criteriaQuery(criteria, type), ctx, { lockForWrite: true })
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
      const matches = await findMatches(type, entry.query, ctx, { lockForWrite: true });
      if (matches.length > 1)
        throw multipleMatches(`Conditional update '${entry.url}' matched more than one ${type}`);
      const bodyId = entry.resource.id;
      id = matches.length === 1 ? matches[0].id : typeof bodyId === 'string' ? bodyId : randomUUID();
      if (bodyId !== undefined && bodyId !== id) {
        throw badRequest(`Resource id '${String(bodyId)}' differs from the matching resource ${type}/${id}`);
      }
      if (matches.length === 0 && bodyId !== undefined) await assertNotLive(type, id as string, ctx);
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

/** Creates all plain POST entries in one bulk call; on failure names the entry at fault. */
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
      posts.map((e) => e.assignedId as string),
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
