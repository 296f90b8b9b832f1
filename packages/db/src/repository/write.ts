import { conflict, preconditionFailed, type Resource } from '@hospitium/fhir';
import type { Queryable } from '../engine/types.js';
import { SqlState } from '../errors.js';
import type { StoreContext } from './context.js';
import { inStatement, inTransaction } from './context.js';
import {
  assertId,
  assertResourceType,
  checkResource,
  nextLastUpdated,
  stampVersion,
} from './resource-meta.js';
import { noteWrites } from './statistics.js';
import {
  type ChangeListener,
  type DeleteResult,
  listenerFor,
  type UpdateResult,
  type WriteOptions,
} from './types.js';
import { insertNewResources, type PreparedVersion, writeNextVersion } from './write-statements.js';

/** The current row of a resource as last committed. */
interface CurrentRow {
  rid: number;
  version_id: number;
  last_updated: string;
  deleted: boolean;
  /** The current JSON, read only when a change listener needs the version being replaced. */
  content_text?: string | null;
}

async function readCurrent(
  q: Queryable,
  resourceType: string,
  id: string,
  withContent = false,
): Promise<CurrentRow | undefined> {
  const result = await q.query<CurrentRow>(
    `SELECT rid, version_id, last_updated, deleted${withContent ? ', content_text' : ''}
     FROM resources WHERE resource_type = $1 AND id = $2`,
    [resourceType, id],
    { prepare: true },
  );
  return result.rows[0];
}

/** The version a write replaces, for the change listener (absent when new or deleted). */
function before(row: CurrentRow | undefined): Resource | undefined {
  return row && !row.deleted && row.content_text ? (JSON.parse(row.content_text) as Resource) : undefined;
}

function prepare(
  ctx: StoreContext,
  resource: Resource,
  id: string,
  versionId: number,
  lastUpdated: string,
  method: PreparedVersion['method'],
) {
  const stored = stampVersion(resource, id, versionId, lastUpdated);
  const version: PreparedVersion = {
    resourceType: stored.resourceType,
    id,
    versionId,
    lastUpdated,
    method,
    text: JSON.stringify(stored),
    indexes: ctx.extract(stored),
  };
  return { stored, version };
}

/**
 * Creates resources: validate all first (nothing is written if one is invalid), then one
 * statement for the whole batch. Ids are UUIDs unless given; a taken id → 409.
 */
export async function createResources(
  ctx: StoreContext,
  resources: readonly Resource[],
  ids?: readonly (string | undefined)[],
): Promise<Resource[]> {
  const checked = resources.map((r) => checkResource(r));
  const chosen = checked.map((_, i) => ids?.[i] ?? crypto.randomUUID());
  for (const id of chosen) assertId(id);
  const seen = new Set<string>();
  checked.forEach((r, i) => {
    const key = `${r.resourceType}/${chosen[i]}`;
    if (seen.has(key)) throw conflict(`${key} appears twice in one create`);
    seen.add(key);
  });
  if (checked.length === 0) return [];
  const lastUpdated = nextLastUpdated();
  const prepared = checked.map((r, i) => prepare(ctx, r, chosen[i], 1, lastUpdated, 'POST'));
  const versions = prepared.map((p) => p.version);
  const onChange = checked.some((r) => listenerFor(ctx.onChange, r.resourceType)) ? ctx.onChange : undefined;
  if (onChange) {
    await inTransaction(ctx, async (q) => {
      await insertNewResources(q, versions);
      await onChange(
        q,
        prepared.map((p) => ({ after: p.stored })),
      );
    });
  } else {
    await inStatement(ctx, (q) => insertNewResources(q, versions));
  }
  noteWrites(ctx.db, prepared.length);
  return prepared.map((p) => p.stored);
}

/**
 * Writes optimistically: read the current row, then write the next version on condition that it
 * is still current (one statement, no row lock held across round trips). When another writer got
 * there first, read again and retry; a stale If-Match then answers 412, so of parallel updates
 * carrying the same If-Match exactly one wins and the others get 412. Without a change listener
 * the attempt needs no transaction (its one write statement is atomic); with one, the attempt
 * runs in a transaction so the listener's rows (the outbox) commit with the write or not at all.
 */
async function writeOptimistically<T>(
  ctx: StoreContext,
  listener: ChangeListener | undefined,
  attempt: (q: Queryable) => Promise<T | typeof lost>,
  alsoRetry?: readonly string[],
): Promise<T> {
  for (let tries = 0; tries < MAX_WRITE_ATTEMPTS; tries++) {
    const result = listener
      ? await inTransaction(ctx, attempt, alsoRetry)
      : await inStatement(ctx, attempt, alsoRetry);
    if (result !== lost) return result;
  }
  throw conflict('The resource is being changed by others too often to write it; try again');
}

/** What an attempt returns when another writer changed the resource between its read and its write. */
const lost = Symbol('lost the race');
const MAX_WRITE_ATTEMPTS = 20;

/**
 * Update, or create with the client's id when absent (created: true) or deleted (revived with
 * the next version, created: true).
 */
export async function updateResource(
  ctx: StoreContext,
  resource: Resource,
  options: WriteOptions = {},
): Promise<UpdateResult> {
  const checked = checkResource(resource);
  assertId(checked.id);
  const id = checked.id;
  const method = options.method ?? 'PUT';
  const listener = listenerFor(ctx.onChange, checked.resourceType);
  // Two first PUTs of one new id race on the unique key: the loser retries and finds the row.
  const result = await writeOptimistically(
    ctx,
    listener,
    async (q) => {
      const current = await readCurrent(q, checked.resourceType, id, listener !== undefined);
      checkIfMatch(options.ifMatch, current, `${checked.resourceType}/${id}`);
      if (!current) {
        const { stored, version } = prepare(ctx, checked, id, 1, nextLastUpdated(), method);
        await insertNewResources(q, [version]);
        await listener?.(q, [{ after: stored }]);
        return { resource: stored, created: true };
      }
      const next = current.version_id + 1;
      const { stored, version } = prepare(
        ctx,
        checked,
        id,
        next,
        nextLastUpdated(current.last_updated),
        method,
      );
      if (!(await writeNextVersion(q, current.rid, current.version_id, version))) return lost;
      await listener?.(q, [{ before: before(current), after: stored }]);
      return { resource: stored, created: current.deleted };
    },
    [SqlState.uniqueViolation],
  );
  noteWrites(ctx.db, 1);
  return result;
}

/**
 * Deletes: writes a delete-marker version and drops the index rows; the history keeps every
 * earlier version. Deleting what is absent or already deleted changes nothing.
 */
export async function deleteResource(
  ctx: StoreContext,
  resourceType: string,
  id: string,
  options: Pick<WriteOptions, 'ifMatch'> = {},
): Promise<DeleteResult> {
  assertResourceType(resourceType);
  assertId(id);
  const listener = listenerFor(ctx.onChange, resourceType);
  return writeOptimistically(ctx, listener, async (q) => {
    const current = await readCurrent(q, resourceType, id, listener !== undefined);
    checkIfMatch(options.ifMatch, current, `${resourceType}/${id}`);
    if (!current || current.deleted) return {};
    const versionId = current.version_id + 1;
    const written = await writeNextVersion(q, current.rid, current.version_id, {
      resourceType,
      id,
      versionId,
      lastUpdated: nextLastUpdated(current.last_updated),
      method: 'DELETE',
      text: null,
      indexes: null,
    });
    if (!written) return lost;
    const removed = before(current);
    if (removed) await listener?.(q, [{ before: removed }]);
    return { versionId: String(versionId) };
  });
}

function checkIfMatch(ifMatch: string | undefined, current: CurrentRow | undefined, reference: string): void {
  if (ifMatch === undefined) return;
  if (!current) throw preconditionFailed(`If-Match ${ifMatch}: ${reference} does not exist`);
  if (String(current.version_id) !== ifMatch) {
    throw preconditionFailed(
      `If-Match ${ifMatch} is stale: ${reference} is at version ${current.version_id}`,
    );
  }
}
