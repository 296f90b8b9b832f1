import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../engine/open.js';
import { openPglite } from '../engine/pglite.js';
import type { Database } from '../engine/types.js';
import { migrate } from '../migrations/migrate.js';

/** One engine to run a contract suite on. */
export interface TestDatabase {
  /** `pglite` or `postgres`, for `describe.each` titles. */
  name: Database['kind'];
  /**
   * Opens a fresh, isolated database (PGlite in memory; on the server a new schema) and, unless
   * `migrate: false`, migrates it. Its close() also drops what open() created.
   */
  open(options?: { migrate?: boolean }): Promise<Database>;
}

/**
 * The engines tests must pass on: PGlite in memory always, plus the PostgreSQL server named by
 * HOSPITIUM_TEST_DATABASE_URL when it is set. Use as
 * `describe.each(testDatabases())('… on $name', ({ open }) => …)`.
 */
export function testDatabases(env: NodeJS.ProcessEnv = process.env): TestDatabase[] {
  const engines: TestDatabase[] = [
    {
      name: 'pglite',
      async open(options) {
        const db = await openMemoryPglite();
        if (options?.migrate !== false) await migrate(db);
        return db;
      },
    },
  ];
  const url = env.HOSPITIUM_TEST_DATABASE_URL;
  if (url)
    engines.push({ name: 'postgres', open: (options) => openServerSchema(url, options?.migrate !== false) });
  return engines;
}

/** A blank PGlite data directory, taken from the first instance this process starts. */
let blankTemplate: Promise<Blob> | undefined;

/**
 * A fresh in-memory PGlite. Starting PGlite runs initdb, which dominates test time (seconds);
 * loading a copy of an untouched data directory is several times faster, so the first instance
 * of a test file leaves a copy for the others.
 */
async function openMemoryPglite(): Promise<Database> {
  if (blankTemplate) {
    const template = await blankTemplate.catch(() => undefined);
    if (template) return openPglite({ loadDataDir: template });
  }
  const db = await openPglite({});
  blankTemplate ??= db.dumpDataDir();
  await blankTemplate;
  return db;
}

async function openServerSchema(url: string, migrated: boolean): Promise<Database> {
  const schema = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(url, `CREATE SCHEMA ${schema}`);
  let db: Database | undefined;
  try {
    db = await openDatabase({ url, schema, poolSize: 8 });
    if (migrated) await migrate(db);
  } catch (err) {
    await db?.close();
    await admin(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    throw err;
  }
  const opened = db;
  return {
    kind: opened.kind,
    query: (sql, params, options) => opened.query(sql, params, options),
    transaction: (fn) => opened.transaction(fn),
    listen: (channel, onNotify) => opened.listen(channel, onNotify),
    async close() {
      await opened.close();
      await admin(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
