import { PGlite, type Results, type Transaction } from '@electric-sql/pglite';
import { SerialQueue } from './serial-queue.js';
import { parseInt8, parseTimestamptz, TypeOid } from './type-parsers.js';
import type { Database, Queryable, QueryResult } from './types.js';

// PGlite has no statement cache across queries; `QueryOptions.prepare` is accepted and ignored.

export interface PgliteOptions {
  /** Directory holding the database files; undefined = in memory (gone on close). */
  dataDir?: string;
  /** Start from a copy of another database (a `dumpDataDir()` tarball) instead of initdb. */
  loadDataDir?: Blob;
}

/** The embedded engine, which can also copy itself out (backups, fast test templates). */
export interface PgliteDatabase extends Database {
  /** A tarball of the whole data directory, taken between two queued tasks (consistent). */
  dumpDataDir(): Promise<Blob>;
}

type PgliteSession = Pick<PGlite, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>;

/**
 * A statement with parameters runs through the extended protocol; one without parameters through
 * the simple protocol, so migrations can send several statements at once (as pg does).
 */
async function run<R>(
  session: PgliteSession,
  sql: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  if (params && params.length > 0) {
    return toResult(await session.query<R>(sql, [...params]));
  }
  const results = await session.exec(sql);
  const last = results[results.length - 1];
  return last ? toResult(last as Results<R>) : { rows: [], rowCount: 0 };
}

function toResult<R>(result: Results<R>): QueryResult<R> {
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
}

/**
 * Opens the embedded engine. PGlite is one PostgreSQL session, so every statement and every
 * transaction goes through one FIFO queue: concurrent requests never interleave inside a
 * transaction, and close() runs after the work queued before it, then shuts PostgreSQL down
 * cleanly (checkpoint to disk) so a restart finds everything.
 */
export async function openPglite(options: PgliteOptions): Promise<PgliteDatabase> {
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    parsers: { [TypeOid.int8]: parseInt8, [TypeOid.timestamptz]: parseTimestamptz },
  });
  await pglite.exec("SET TimeZone = 'UTC'");
  const queue = new SerialQueue();
  let closed = false;

  const closedError = () => Promise.reject(new Error('The database is closed'));

  return {
    kind: 'pglite',
    query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      if (closed) return closedError();
      return queue.run(() => run<R>(pglite, sql, params));
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      if (closed) return closedError();
      return queue.run(() =>
        pglite.transaction((tx) => {
          const bound: Queryable = {
            query: <R = Record<string, unknown>>(sql: string, params?: readonly unknown[]) =>
              run<R>(tx, sql, params),
          };
          return fn(bound);
        }),
      );
    },
    async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
      if (closed) return closedError();
      const stop = await queue.run(() => pglite.listen(channel, onNotify));
      return async () => {
        if (!closed) await queue.run(() => stop());
      };
    },
    dumpDataDir(): Promise<Blob> {
      if (closed) return closedError();
      return queue.run(() => pglite.dumpDataDir('none'));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue.run(() => pglite.close());
    },
  };
}
