import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isOperationOutcomeError } from '@hospitium/fhir';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toDatabaseError } from '../errors.js';
import { migrate } from '../migrations/migrate.js';
import { createRepository } from '../repository/repository.js';
import { testDatabases } from '../testing/databases.js';
import { testObservation, testPatient } from '../testing/fixtures.js';
import { openDatabase } from './open.js';
import type { Database } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const serverUrl = process.env.HOSPITIUM_TEST_DATABASE_URL;

describe.each(testDatabases())('engine on $name', ({ open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
    await db.query('CREATE TABLE engine_probe (label text PRIMARY KEY)');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('delivers a notification to listeners only when its transaction commits', async () => {
    const channel = `probe_${Math.random().toString(36).slice(2, 10)}`;
    const heard: string[] = [];
    const stop = await db.listen(channel, (payload) => heard.push(payload));
    await expect(
      db.transaction(async (tx) => {
        await tx.query('SELECT pg_notify($1, $2)', [channel, 'rolled back']);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_notify($1, $2)', [channel, 'committed']);
      await sleep(20);
      expect(heard).toEqual([]);
    });
    for (let i = 0; i < 50 && heard.length === 0; i++) await sleep(20);
    expect(heard).toEqual(['committed']);
    await stop();
    await db.query('SELECT pg_notify($1, $2)', [channel, 'after stop']);
    await sleep(100);
    expect(heard).toEqual(['committed']);
  });

  it('never lets a concurrent statement slip into another transaction', async () => {
    const doomed = db.transaction(async (tx) => {
      await tx.query('INSERT INTO engine_probe (label) VALUES ($1)', ['doomed']);
      await sleep(30);
      throw new Error('roll me back');
    });
    await sleep(5);
    // On PGlite (one session) this would land inside the doomed transaction without the queue.
    const bystander = db.query('INSERT INTO engine_probe (label) VALUES ($1)', ['bystander']);
    await expect(doomed).rejects.toThrow('roll me back');
    await bystander;
    const rows = await db.query<{ label: string }>('SELECT label FROM engine_probe ORDER BY label');
    expect(rows.rows.map((r) => r.label)).toEqual(['bystander']);
  });

  it('returns rows, row counts, int8 as number and timestamptz as ISO text', async () => {
    const result = await db.query<{ n: number; at: string; j: { a: number } }>(
      "SELECT 9007199254740991::bigint AS n, '2024-03-05 07:08:09.123+02'::timestamptz AS at, $1::text::jsonb AS j",
      [JSON.stringify({ a: 1 })],
    );
    expect(result.rows).toEqual([{ n: 9007199254740991, at: '2024-03-05T05:08:09.123Z', j: { a: 1 } }]);
    const update = await db.query("UPDATE engine_probe SET label = label WHERE label = 'bystander'");
    expect(update.rowCount).toBe(1);
  });

  it('maps a unique violation to 409', async () => {
    const err = await db
      .query("INSERT INTO engine_probe (label) VALUES ('bystander')")
      .catch((e: unknown) => e);
    const mapped = toDatabaseError(err);
    expect(mapped.status).toBe(409);
    expect(mapped.cause).toBe(err);
  });
});

describe('PGlite on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hospitium-pglite-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps everything across a close and reopen', async () => {
    const first = await openDatabase({ dataDir: dir });
    await migrate(first);
    const repo = createRepository(first);
    const patient = await repo.createResource(testPatient({ family: 'Durable' }), { id: 'durable' });
    const { resource: v2 } = await repo.updateResource({ ...patient, active: false });
    const bulk = await repo.createResources(
      Array.from({ length: 50 }, () => testObservation({ patientId: 'durable' })),
    );
    // Work still queued when close() is called must finish and reach the disk.
    const late = repo.createResource(testPatient({ family: 'Late' }), { id: 'late' });
    await first.close();
    await late;
    await expect(first.query('SELECT 1')).rejects.toThrow(/closed/);

    const second = await openDatabase({ dataDir: dir });
    try {
      expect(await migrate(second)).toEqual([]);
      const again = createRepository(second);
      expect(await again.readResource('Patient', 'durable')).toEqual(v2);
      expect((await again.history({ resourceType: 'Patient', id: 'durable' })).total).toBe(2);
      expect(await again.readResource('Observation', bulk[49].id!)).toEqual(bulk[49]);
      expect((await again.readResource('Patient', 'late')).id).toBe('late');
      const found = await again.search({
        resourceType: 'Observation',
        filters: [{ code: 'subject', values: ['Patient/durable'] }],
        total: 'accurate',
      });
      expect(found.total).toBe(50);
    } finally {
      await second.close();
    }
  });

  it('refuses ambiguous options', async () => {
    await expect(openDatabase({})).rejects.toThrow(/url, dataDir or memory/);
    await expect(openDatabase({ dataDir: dir, memory: true })).rejects.toThrow(/not both/);
  });
});

describe.skipIf(!serverUrl)('PostgreSQL server (HOSPITIUM_TEST_DATABASE_URL not set)', () => {
  const url = serverUrl ?? '';

  it('cancels a statement past statement_timeout and maps it to 504', async () => {
    const db = await openDatabase({ url, statementTimeoutMs: 100 });
    try {
      const err = await db.query('SELECT pg_sleep(2)').catch((e: unknown) => e);
      const mapped = toDatabaseError(err);
      expect(mapped.status).toBe(504);
      expect(isOperationOutcomeError(mapped)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('lets close() wait for a transaction in flight, which then commits', async () => {
    const schema = `close_test_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      const db = await openDatabase({ url, schema, poolSize: 2 });
      await db.query('CREATE TABLE t (v text)');
      const work = db.transaction(async (tx) => {
        await sleep(100);
        await tx.query("INSERT INTO t VALUES ('committed')");
      });
      await sleep(10);
      await db.close();
      await work;
      const rows = await admin.query(`SELECT v FROM ${schema}.t`);
      expect(rows.rows).toEqual([{ v: 'committed' }]);
      await expect(db.query('SELECT 1')).rejects.toThrow(/closed/);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('fails at open when the server is unreachable', async () => {
    await expect(openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' })).rejects.toThrow();
  });
});
