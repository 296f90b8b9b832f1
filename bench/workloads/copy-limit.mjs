import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

/**
 * At most this many bytes of table data are copied. Above it, the limit is measured on a sample:
 * every k-th resource with all its rows (history and index rows), so the mix of tables and rows
 * per resource stays that of the load; the rate per row barely depends on the table's size.
 */
const SAMPLE_BYTES = Number(process.env.HOSPITIUM_BENCH_COPY_SAMPLE_MB ?? 300) * 1024 * 1024;

/**
 * Every table an import writes — the resource and history tables and every search-index table —
 * read from the database itself, so an index table added by a later migration is never left out.
 */
export async function storeTables(client) {
  const { rows } = await client.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
        AND (table_name IN ('resources', 'resource_history') OR table_name LIKE 'idx\\_%')
      ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** How many resources' rows to skip between two copied ones (1 = all), from the tables' size. */
async function sampleStep(query, tables) {
  const { rows } = await query(
    `SELECT coalesce(sum(pg_relation_size(c.oid)), 0)::float8 AS bytes FROM pg_class c
      WHERE c.relname = ANY($1::text[]) AND c.relnamespace = current_schema()::regnamespace`,
    [tables],
  );
  return Math.max(1, Math.ceil(Number(rows[0].bytes) / SAMPLE_BYTES));
}

/** The rows of `table` that belong to the sampled resources (`rid % step = 0`). */
function sampleSelect(table, step) {
  if (step === 1) return table;
  // step is an integer computed here; identifiers and it cannot be parameters of COPY.
  if (table === 'resource_history') {
    return `(SELECT h.* FROM resource_history h JOIN resources r USING (resource_type, id) WHERE r.rid % ${step} = 0)`;
  }
  return `(SELECT * FROM ${table} WHERE rid % ${step} = 0)`;
}

/**
 * The physical limit on this machine, measured on a PostgreSQL server after the run: copy out the
 * rows the load wrote (all, or a sample of whole resources above SAMPLE_BYTES) and time a `COPY`
 * of the same bytes into empty tables with the same columns and indexes (`LIKE … INCLUDING ALL`),
 * in one transaction. Reports rows/s and the equivalent resources/s.
 */
export async function measureCopyLimit(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await storeTables(client);
    const step = await sampleStep((sql, params) => client.query(sql, params), tables);
    const data = [];
    for (const table of tables) {
      const chunks = [];
      await pipeline(
        client.query(copyStreams.to(`COPY ${sampleSelect(table, step)} TO STDOUT`)),
        new Writable({
          write(chunk, _enc, cb) {
            chunks.push(chunk);
            cb();
          },
        }),
      );
      data.push({ table, chunks, bytes: chunks.reduce((s, c) => s + c.length, 0) });
    }
    await client.query('DROP SCHEMA IF EXISTS copy_limit CASCADE; CREATE SCHEMA copy_limit');
    for (const table of tables) {
      await client.query(`CREATE TABLE copy_limit.${table} (LIKE public.${table} INCLUDING ALL)`);
    }
    const started = performance.now();
    await client.query('BEGIN');
    for (const { table, chunks } of data) {
      await pipeline(
        Readable.from(chunks),
        client.query(copyStreams.from(`COPY copy_limit.${table} FROM STDIN`)),
      );
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    const counts = await countRows((sql) => client.query(sql), tables);
    await client.query('DROP SCHEMA copy_limit CASCADE');
    return report(counts, data, seconds, step);
  } finally {
    await client.end();
  }
}

/**
 * The same limit on the embedded database (after the server stopped, so the data directory is
 * free): `COPY … TO '/dev/blob'` and `COPY … FROM '/dev/blob'`, in one transaction.
 */
export async function measureCopyLimitPglite(dataDir) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir });
  try {
    const tables = await storeTables({ query: (sql) => db.query(sql) });
    const step = await sampleStep((sql, params) => db.query(sql, params), tables);
    const data = [];
    for (const table of tables) {
      const out = await db.query(`COPY ${sampleSelect(table, step)} TO '/dev/blob'`);
      data.push({ table, blob: out.blob, bytes: out.blob?.size ?? 0 });
    }
    await db.exec('DROP SCHEMA IF EXISTS copy_limit CASCADE; CREATE SCHEMA copy_limit');
    for (const table of tables) {
      await db.exec(`CREATE TABLE copy_limit.${table} (LIKE public.${table} INCLUDING ALL)`);
    }
    const started = performance.now();
    await db.transaction(async (tx) => {
      for (const { table, blob } of data) {
        // PGlite gives no blob for an empty table, and COPY FROM '/dev/blob' without one waits forever.
        if (!blob || blob.size === 0) continue;
        await tx.query(`COPY copy_limit.${table} FROM '/dev/blob'`, [], { blob });
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const counts = await countRows((sql) => db.query(sql), tables);
    await db.exec('DROP SCHEMA copy_limit CASCADE');
    return report(counts, data, seconds, step);
  } finally {
    await db.close();
  }
}

/** Rows copied per table (counted in the copies, so a sample is counted as copied). */
async function countRows(query, tables) {
  const counts = {};
  for (const table of tables) {
    const { rows } = await query(`SELECT count(*)::int AS n FROM copy_limit.${table}`);
    counts[table] = Number(rows[0].n);
  }
  return counts;
}

function report(counts, data, seconds, step) {
  const rows = Object.values(counts).reduce((s, n) => s + n, 0);
  const resources = counts.resources;
  return {
    rows,
    resources,
    sampleEvery: step,
    bytes: data.reduce((s, d) => s + d.bytes, 0),
    seconds,
    rowsPerSec: Math.round(rows / seconds),
    resourcesPerSec: Math.round(resources / seconds),
  };
}
