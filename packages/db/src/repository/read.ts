import { gone, notFound, type Resource } from '@hospitium/fhir';
import type { StoreContext } from './context.js';
import { inStatement } from './context.js';
import { assertId, assertResourceType } from './resource-meta.js';

interface CurrentRow {
  version_id: number;
  last_updated: string;
  deleted: boolean;
  content_text: string | null;
}

/**
 * The current version's JSON text as stored, in one indexed lookup on (resource_type, id).
 * 404 when unknown, 410 when deleted.
 */
export async function readResourceText(
  ctx: StoreContext,
  resourceType: string,
  id: string,
): Promise<{ text: string; versionId: string; lastUpdated: string }> {
  assertResourceType(resourceType);
  assertId(id);
  const result = await inStatement(ctx, (q) =>
    q.query<CurrentRow>(
      'SELECT version_id, last_updated, deleted, content_text FROM resources WHERE resource_type = $1 AND id = $2',
      [resourceType, id],
      { prepare: true },
    ),
  );
  const row = result.rows[0];
  if (!row) throw notFound(`${resourceType}/${id} not found`);
  if (row.deleted || row.content_text === null) throw gone(`${resourceType}/${id} was deleted`);
  return { text: row.content_text, versionId: String(row.version_id), lastUpdated: row.last_updated };
}

export async function readResource(ctx: StoreContext, resourceType: string, id: string): Promise<Resource> {
  const { text } = await readResourceText(ctx, resourceType, id);
  return JSON.parse(text) as Resource;
}

const versionPattern = /^[1-9][0-9]{0,8}$/;

/** One version from history (vread). 404 when there is no such version, 410 for a delete marker. */
export async function readVersion(
  ctx: StoreContext,
  resourceType: string,
  id: string,
  versionId: string,
): Promise<Resource> {
  assertResourceType(resourceType);
  assertId(id);
  if (!versionPattern.test(versionId)) throw notFound(`${resourceType}/${id} has no version '${versionId}'`);
  const result = await inStatement(ctx, (q) =>
    q.query<{ deleted: boolean; content_text: string | null }>(
      'SELECT deleted, content_text FROM resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3',
      [resourceType, id, Number(versionId)],
      { prepare: true },
    ),
  );
  const row = result.rows[0];
  if (!row) throw notFound(`${resourceType}/${id}/_history/${versionId} not found`);
  if (row.deleted || row.content_text === null)
    throw gone(`${resourceType}/${id}/_history/${versionId} is a deletion`);
  return JSON.parse(row.content_text) as Resource;
}
