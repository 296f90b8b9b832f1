import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Database } from './types.js';

export interface OpenDatabaseOptions {
  /** PostgreSQL server URL (`postgres://user@host:5432/db`); when set, the server is used. */
  url?: string;
  /** PGlite data directory (created when missing). */
  dataDir?: string;
  /** PGlite in memory, gone on close (tests, throw-away runs). */
  memory?: boolean;
  /** Server pool size (default 10). */
  poolSize?: number;
  /** Server statement_timeout in ms (default 30 000). */
  statementTimeoutMs?: number;
  /** Server schema to use as search_path (default: the server's search_path). */
  schema?: string;
}

/**
 * Opens the database the options name: a PostgreSQL server when `url` is set, otherwise
 * embedded PGlite in `dataDir`, or in memory. Does not migrate: call `migrate(db)` next.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) {
    return openPostgres({
      url: options.url,
      poolSize: options.poolSize,
      statementTimeoutMs: options.statementTimeoutMs,
      schema: options.schema,
    });
  }
  if (options.dataDir && options.memory)
    throw new Error('openDatabase: give either dataDir or memory, not both');
  if (!options.dataDir && !options.memory) throw new Error('openDatabase: give url, dataDir or memory');
  return openPglite({ dataDir: options.memory ? undefined : options.dataDir });
}
