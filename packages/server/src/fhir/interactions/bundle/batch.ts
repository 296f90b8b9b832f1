import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Resource } from '@hospitium/fhir';
import { createEntries, recordEntryRefusal } from '../../../audit/bundle-entries.js';
import { authorize } from '../../../auth/policy/authorize.js';
import type { PreferReturn } from '../../headers.js';
import { handleFhirRequest } from '../../router.js';
import type { FhirContext } from '../../types.js';
import { withoutId } from '../create.js';
import { entryRequest, type PlannedEntry, planEntry, processingOrder } from './entries.js';
import { errorEntry, resourceEntry, responseEntry, responseError } from './entry-response.js';
import { findBundleReferences, resolveConditionalReferences, rewriteReferences } from './references.js';

/**
 * Runs a batch bundle: every entry independently (its own transaction), each answered with
 * its own status and, on failure, its OperationOutcome; one bad entry never stops the others.
 * Plain POSTs still get their ids up-front (so `urn:uuid` references between them resolve)
 * and are created in one bulk call, falling back to one by one when that call fails.
 */
export async function runBatch(
  rawEntries: readonly unknown[],
  ctx: FhirContext,
  prefer: PreferReturn,
): Promise<Bundle> {
  const out: BundleEntry[] = new Array(rawEntries.length);
  const planned: PlannedEntry[] = [];
  for (const [index, raw] of rawEntries.entries()) {
    let entry: PlannedEntry | undefined;
    try {
      entry = planEntry(raw, index, ctx.baseUrl);
      await authorize(entryRequest(entry), ctx);
      planned.push(entry);
    } catch (err) {
      out[index] = errorEntry(err);
      await recordEntryRefusal(ctx, entry?.method, entry?.segments ?? [], err);
    }
  }

  const targets = new Map<string, string>();
  for (const entry of planned) {
    const type = entry.segments[0];
    if (entry.method === 'POST' && !entry.request.ifNoneExist) {
      entry.assignedId = randomUUID();
      if (entry.fullUrl) targets.set(entry.fullUrl, `${type}/${entry.assignedId}`);
    } else if (entry.method === 'PUT' && entry.segments.length === 2 && entry.fullUrl) {
      targets.set(entry.fullUrl, `${type}/${entry.segments[1]}`);
    }
  }

  const failed = new Set<number>();
  const references = findBundleReferences(planned, targets);
  const fail = async (failure: { entryIndex: number; error: unknown }): Promise<void> => {
    if (failed.has(failure.entryIndex)) return;
    failed.add(failure.entryIndex);
    out[failure.entryIndex] = errorEntry(failure.error);
    const entry = planned.find((e) => e.index === failure.entryIndex);
    await recordEntryRefusal(ctx, entry?.method, entry?.segments ?? [], failure.error);
  };
  for (const failure of await resolveConditionalReferences(references, targets, ctx)) await fail(failure);
  for (const failure of rewriteReferences(references, targets, failed)) await fail(failure);

  const runnable = processingOrder(planned.filter((e) => !failed.has(e.index)));
  const plainPosts = runnable.filter((e) => e.method === 'POST' && e.assignedId !== undefined);
  for (const entry of runnable) {
    if (entry.assignedId !== undefined) {
      if (entry === plainPosts[0]) await createEach(plainPosts, out, ctx, prefer);
      continue;
    }
    try {
      const res = await handleFhirRequest(entryRequest(entry), ctx);
      out[entry.index] = res.status >= 400 ? errorEntry(responseError(res)) : responseEntry(res, ctx, prefer);
    } catch (err) {
      out[entry.index] = errorEntry(err);
    }
  }
  return { resourceType: 'Bundle', id: randomUUID(), type: 'batch-response', entry: out };
}

async function createEach(
  posts: PlannedEntry[],
  out: BundleEntry[],
  ctx: FhirContext,
  prefer: PreferReturn,
): Promise<void> {
  const resources = posts.map((e) => withoutId(e.resource as Resource));
  const ids = posts.map((e) => e.assignedId as string);
  try {
    const created = await createEntries(ctx, resources, ids);
    created.forEach((resource, i) => {
      out[posts[i].index] = resourceEntry(resource, 201, ctx, prefer);
    });
    return;
  } catch {
    // One bad resource fails the bulk call; retry one by one so each entry gets its own answer.
  }
  for (const [i, entry] of posts.entries()) {
    try {
      const [created] = await createEntries(ctx, [resources[i]], [ids[i]]);
      out[entry.index] = resourceEntry(created, 201, ctx, prefer);
    } catch (err) {
      out[entry.index] = errorEntry(err);
      await recordEntryRefusal(ctx, entry.method, entry.segments, err);
    }
  }
}
