import { type Database, migrate, openDatabase } from '@hospitium/db';
import type { HospitiumConfig } from './config.js';
import { type DataDirLock, lockDataDir } from './data-dir-lock.js';

export interface OpenedDatabase {
  db: Database;
  /** Human description for the start banner (never includes a password). */
  description: string;
  close(): Promise<void>;
}

/**
 * Opens the configured database (embedded in dataDir, or the PostgreSQL server) and applies
 * pending migrations. Refuses a database whose schema is newer than this code.
 */
export async function openConfiguredDatabase(
  config: HospitiumConfig,
  purpose: string,
): Promise<OpenedDatabase> {
  let lock: DataDirLock | undefined;
  let db: Database;
  let description: string;
  if (config.databaseUrl) {
    db = await openDatabase({ url: config.databaseUrl });
    const u = new URL(config.databaseUrl);
    description = `PostgreSQL server ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } else {
    lock = lockDataDir(config.dataDir, purpose);
    try {
      db = await openDatabase({ dataDir: config.dataDir });
    } catch (err) {
      lock.release();
      throw err;
    }
    description = `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    lock?.release();
    throw err;
  }
  let closed = false;
  return {
    db,
    description,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}
