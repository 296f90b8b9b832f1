import type { Database } from '../engine/types.js';

/** The tables whose statistics steer search plans. */
const TABLES =
  'resources, resource_history, idx_token, idx_string, idx_date, idx_reference, idx_number, idx_quantity, idx_uri, idx_composite, idx_text, idx_position';

/** ANALYZE after this many written resources, or after the table grew by a quarter if that is more. */
const FIRST_THRESHOLD = 1000;
const GROWTH = 0.25;

interface Keeper {
  pending: number;
  threshold: number;
  running: boolean;
}

const keepers = new WeakMap<Database, Keeper>();

/**
 * Keeps planner statistics fresh. PGlite has no autovacuum at all, and a server's autovacuum
 * reacts only after its naptime (a minute by default): right after a bulk load the planner
 * believes every index condition matches one row and can drive a search from its least
 * selective filter (measured: 40–100 ms instead of 1–2 ms). So the repository counts written
 * resources per database and, past a threshold that grows with the table, runs ANALYZE in the
 * background (never awaited by the request that tripped it; on PGlite it queues behind it).
 */
export function noteWrites(db: Database, resources: number): void {
  if (resources === 0) return;
  let keeper = keepers.get(db);
  if (!keeper) {
    keeper = { pending: 0, threshold: FIRST_THRESHOLD, running: false };
    keepers.set(db, keeper);
  }
  keeper.pending += resources;
  if (keeper.running || keeper.pending < keeper.threshold) return;
  const current = keeper;
  current.running = true;
  current.pending = 0;
  void refreshStatistics(db)
    .then((rows) => {
      current.threshold = Math.max(FIRST_THRESHOLD, Math.round(rows * GROWTH));
    })
    .catch(() => undefined)
    .finally(() => {
      current.running = false;
    });
}

/**
 * GIN indexes buffer new entries in a pending list (`fastupdate`, measured 2.2× cheaper at ingest
 * than inserting into the tree) that every search scans until it is merged; autovacuum merges it
 * on a server, nothing does on PGlite. Merge it here, with the statistics, so full-text searches
 * after a bulk load read the index rather than a long list (or a sequential scan).
 */
const GIN_INDEXES = ['idx_text_narrative_idx', 'idx_text_content_idx'];

/**
 * Merges the GIN pending lists, refreshes planner statistics and the visibility map (VACUUM
 * ANALYZE); the number of resources.
 */
export async function refreshStatistics(db: Database): Promise<number> {
  try {
    await db.query(
      `SELECT ${GIN_INDEXES.map((_name, i) => `gin_clean_pending_list($${i + 1}::text::regclass)`).join(', ')}`,
      GIN_INDEXES,
    );
  } catch {
    // Only the indexes' owner may merge (a server role that did not run the migrations may not);
    // autovacuum then does it, and the statistics below matter more.
  }
  // VACUUM sets the visibility map, without which the counts of `_total=accurate` (index-only
  // scans, migration 008) read every counted row's heap page after all (measured 16,231 heap
  // fetches, 23 ms, right after a load, against 3 ms vacuumed). PGlite has no autovacuum and a
  // server's comes minutes later; pages already all-visible are skipped, so each run costs about
  // what was written since the last. A role that does not own a table gets a warning, not an error.
  try {
    await db.query(`VACUUM (ANALYZE) ${TABLES}`);
  } catch {
    // VACUUM cannot run inside a transaction block; the statistics still matter most.
    await db.query(`ANALYZE ${TABLES}`);
  }
  const size = await db.query<{ rows: number }>(
    "SELECT greatest(reltuples, 0)::bigint AS rows FROM pg_class WHERE oid = 'resources'::regclass",
  );
  return size.rows[0]?.rows ?? 0;
}
