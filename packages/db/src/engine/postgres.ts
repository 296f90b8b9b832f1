import pg from 'pg';
import { parseInt8, parseTimestamptz, TypeOid } from './type-parsers.js';
import type { Database, Queryable, QueryOptions, QueryResult } from './types.js';

export interface PostgresOptions {
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** statement_timeout in ms (default 30 s): a runaway query is cancelled (SQLSTATE 57014 → 504). */
  statementTimeoutMs?: number;
  /** Schema to use instead of the default search_path (test isolation, side-by-side installs). */
  schema?: string;
}

const identifierPattern = /^[a-z_][a-z0-9_]{0,62}$/;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TypeOid.int8) return parseInt8;
    if (oid === TypeOid.timestamptz) return parseTimestamptz;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * Opens a pool on a PostgreSQL server. Every session runs in UTC with a statement timeout and an
 * idle-in-transaction timeout (a crashed request cannot hold row locks forever). close() stops
 * new work, waits for queries and transactions in flight, then ends the pool.
 */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const sessionSettings = ['-c TimeZone=UTC', '-c idle_in_transaction_session_timeout=60000'];
  if (options.schema !== undefined) {
    if (!identifierPattern.test(options.schema)) throw new Error(`Invalid schema name: ${options.schema}`);
    sessionSettings.push(`-c search_path=${options.schema}`);
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    options: sessionSettings.join(' '),
    types,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Fail at open, not at the first request, when the server is unreachable.
  try {
    const probe = await pool.connect();
    probe.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }

  let closed = false;
  let inFlight = 0;
  const listeners = new Set<pg.Client>();
  let drained: (() => void) | undefined;

  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    if (closed) throw new Error('The database is closed');
    inFlight++;
    try {
      return await work();
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  };

  return {
    kind: 'postgres',
    query<R = Record<string, unknown>>(
      sql: string,
      params?: readonly unknown[],
      options?: QueryOptions,
    ): Promise<QueryResult<R>> {
      return track(async () => toResult<R>(await pool.query(statement(sql, params, options))));
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return track(async () => {
        const client = await pool.connect();
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
          const bound: Queryable = {
            query: async <R = Record<string, unknown>>(
              sql: string,
              params?: readonly unknown[],
              options?: QueryOptions,
            ) => toResult<R>(await client.query(statement(sql, params, options))),
          };
          const result = await fn(bound);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            // The connection is unusable: destroy it instead of returning it to the pool.
            broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          }
          throw err;
        } finally {
          client.release(broken);
        }
      });
    },
    async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
      if (closed) throw new Error('The database is closed');
      // A dedicated connection outside the pool: LISTEN belongs to a session, and a pooled
      // client would be handed to other work.
      const client = new pg.Client({ connectionString: options.url, options: sessionSettings.join(' ') });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel) onNotify(n.payload ?? '');
      });
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        if (!listeners.delete(client)) return;
        await client.end().catch(() => undefined);
      };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([...listeners].map((c) => c.end().catch(() => undefined)));
      listeners.clear();
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      await pool.end();
    },
  };
}

/** A channel name as a quoted SQL identifier (LISTEN takes no parameters). */
function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new Error(`Invalid channel name: ${name}`);
  return `"${name}"`;
}

/** Names of prepared statements by text: the same text always gets the same name on every connection. */
const preparedNames = new Map<string, string>();
const MAX_PREPARED = 2_000;

/**
 * A pg query config; with `prepare`, a named statement, which node-pg parses once per connection
 * and then only binds and executes. Names are handed out per distinct text; past MAX_PREPARED
 * texts (a sign the caller's statements are not fixed-shape) statements run unprepared.
 */
function statement(sql: string, params: readonly unknown[] | undefined, options: QueryOptions | undefined) {
  const values = params ? [...params] : undefined;
  if (!options?.prepare) return { text: sql, values };
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MAX_PREPARED) {
    name = `h${preparedNames.size + 1}`;
    preparedNames.set(sql, name);
  }
  return name === undefined ? { text: sql, values } : { name, text: sql, values };
}

/** pg answers a multi-statement text (migrations) with one result per statement: keep the last, as PGlite does. */
function toResult<R>(answer: pg.QueryResult | pg.QueryResult[]): QueryResult<R> {
  const result = Array.isArray(answer) ? answer[answer.length - 1] : answer;
  if (!result) return { rows: [], rowCount: 0 };
  return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
}
