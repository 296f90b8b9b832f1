import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';

/** Every table an import writes: the physical work a raw COPY of "the same rows" must do. */
export const STORE_TABLES = [
  'resources',
  'resource_history',
  'idx_token',
  'idx_string',
  'idx_date',
  'idx_reference',
  'idx_number',
  'idx_quantity',
  'idx_uri',
];

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
    const data = [];
    let rows = 0;
    for (const table of STORE_TABLES) {
      const buf = await copyOut(client, table);
      const n = Number((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
      rows += n;
      data.push({ table, buf, rows: n });
    }
    const resources = data.find((d) => d.table === 'resources').rows;
    await client.query('DROP SCHEMA IF EXISTS copy_limit CASCADE; CREATE SCHEMA copy_limit');
    for (const table of STORE_TABLES) {
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
