import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

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

async function copyOut(client, table) {
  const chunks = [];
  await pipeline(
    client.query(copyStreams.to(`COPY ${table} TO STDOUT`)),
    new Writable({
      write(chunk, _enc, cb) {
        chunks.push(chunk);
        cb();
      },
    }),
  );
  return Buffer.concat(chunks);
}

/**
 * The physical limit on this machine: after an import, copy out every row it wrote and COPY the
 * same bytes into empty tables with the same columns and indexes (`LIKE … INCLUDING ALL`), in one
 * transaction. Reports rows/s and the equivalent resources/s.
 */
export async function measureCopyLimit(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await storeTables(client);
    const data = [];
    let rows = 0;
    for (const table of tables) {
      const buf = await copyOut(client, table);
      const n = Number((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
      rows += n;
      data.push({ table, buf, rows: n });
    }
    const resources = data.find((d) => d.table === 'resources').rows;
    await client.query('DROP SCHEMA IF EXISTS copy_limit CASCADE; CREATE SCHEMA copy_limit');
    for (const table of tables) {
      await client.query(`CREATE TABLE copy_limit.${table} (LIKE public.${table} INCLUDING ALL)`);
    }
    const started = performance.now();
    await client.query('BEGIN');
    for (const { table, buf } of data) {
      await pipeline(
        Readable.from([buf]),
        client.query(copyStreams.from(`COPY copy_limit.${table} FROM STDIN`)),
      );
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    await client.query('DROP SCHEMA copy_limit CASCADE');
    return {
      rows,
      resources,
      bytes: data.reduce((s, d) => s + d.buf.length, 0),
      seconds,
      rowsPerSec: Math.round(rows / seconds),
      resourcesPerSec: Math.round(resources / seconds),
    };
  } finally {
    await client.end();
  }
}

/**
 * The same limit on the embedded database (after the server stopped, so the data directory is
 * free): copy out every row with `COPY … TO '/dev/blob'` and copy the bytes into empty tables
 * with the same columns and indexes with `COPY … FROM '/dev/blob'`, in one transaction.
 */
export async function measureCopyLimitPglite(dataDir) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir });
  try {
    const tables = await storeTables({ query: (sql) => db.query(sql) });
    const data = [];
    let rows = 0;
    for (const table of tables) {
      const out = await db.query(`COPY ${table} TO '/dev/blob'`);
      const n = Number((await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
      rows += n;
      data.push({ table, blob: out.blob, rows: n });
    }
    const resources = data.find((d) => d.table === 'resources').rows;
    await db.exec('DROP SCHEMA IF EXISTS copy_limit CASCADE; CREATE SCHEMA copy_limit');
    for (const table of tables) {
      await db.exec(`CREATE TABLE copy_limit.${table} (LIKE public.${table} INCLUDING ALL)`);
    }
    const started = performance.now();
    await db.transaction(async (tx) => {
      for (const { table, blob, rows: n } of data) {
        // PGlite gives no blob for an empty table, and COPY FROM '/dev/blob' without one waits forever.
        if (n === 0 || !blob) continue;
        await tx.query(`COPY copy_limit.${table} FROM '/dev/blob'`, [], { blob });
      }
    });
    const seconds = (performance.now() - started) / 1000;
    await db.exec('DROP SCHEMA copy_limit CASCADE');
    return {
      rows,
      resources,
      bytes: data.reduce((s, d) => s + (d.blob?.size ?? 0), 0),
      seconds,
      rowsPerSec: Math.round(rows / seconds),
      resourcesPerSec: Math.round(resources / seconds),
    };
  } finally {
    await db.close();
  }
}
