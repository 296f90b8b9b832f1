import type { Migration } from './migration.js';

/**
 * Indexes that let `_total=accurate` count without reading the tables (index-only scans):
 *
 * - the token B-tree carries `rid` (INCLUDE), so `count(DISTINCT i.rid)` of one token filter reads
 *   the index alone — measured at 1,000 patients, 16,212 matches: 3 ms instead of 11–18 ms;
 * - a partial index of the live resources by type, so `Observation?_total=accurate` counts index
 *   entries — 7 ms instead of 115–129 ms (a parallel sequential scan of the resources table).
 *
 * Index-only scans need the visibility map, which VACUUM sets: autovacuum on a server, the
 * statistics keeper (`repository/statistics.ts`) on PGlite. The token index keeps its name; the
 * new one is built before the old one is dropped (a migration runs in one transaction).
 */
export const countIndexes: Migration = {
  version: 8,
  name: 'count_indexes',
  sql: `
CREATE INDEX idx_token_code_rid_idx ON idx_token (resource_type, param, code, system) INCLUDE (rid);
DROP INDEX idx_token_code_idx;
ALTER INDEX idx_token_code_rid_idx RENAME TO idx_token_code_idx;
CREATE INDEX resources_live_type_idx ON resources (resource_type) WHERE NOT deleted;
`,
};
