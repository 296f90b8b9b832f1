import { isOperationOutcomeError } from '@hospitium/fhir';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { testDatabases } from '../testing/databases.js';
import { migrations } from './list.js';
import { migrate, schemaStatus } from './migrate.js';
import type { Migration } from './migration.js';

/** Every version the code knows, and the newest (the file does not change as migrations are added). */
const versions = migrations.map((m) => m.version);
const latest = versions[versions.length - 1] ?? 0;

const tables = async (db: Database) =>
  (
    await db.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1',
    )
  ).rows.map((r) => r.name);

describe.each(testDatabases())('migrations on $name', ({ name, open }) => {
  const opened: Database[] = [];
  const fresh = async () => {
    const db = await open({ migrate: false });
    opened.push(db);
    return db;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });

  it('migrates an empty database, then does nothing on a re-run', async () => {
    const db = await fresh();
    expect(await schemaStatus(db)).toMatchObject({
      current: 0,
      latest,
      newerThanCode: false,
    });
    expect((await schemaStatus(db)).pending).toEqual(migrations.map((m) => m.version));
    expect(await migrate(db)).toEqual(versions);
    expect(await tables(db)).toEqual(
      expect.arrayContaining([
        'resources',
        'resource_history',
        'idx_token',
        'idx_string',
        'idx_date',
        'idx_reference',
        'idx_number',
        'idx_quantity',
        'idx_uri',
        'idx_composite',
        'idx_text',
        'idx_position',
        'schema_migrations',
      ]),
    );
    expect(await migrate(db)).toEqual([]);
    const status = await schemaStatus(db);
    expect(status).toMatchObject({ current: latest, latest, pending: [], newerThanCode: false });
    expect(status.applied).toEqual(
      migrations.map((m) => ({ version: m.version, name: m.name, appliedAt: expect.stringMatching(/Z$/) })),
    );
    expect(status.applied[0]?.name).toBe('initial_schema');
  });

  it('applies a new migration in order and a failing one not at all', async () => {
    const db = await fresh();
    const added: Migration = {
      version: latest + 1,
      name: 'add_notes',
      sql: 'CREATE TABLE notes (id integer); CREATE INDEX notes_idx ON notes (id);',
    };
    expect(await migrate(db, [...migrations, added])).toEqual([...versions, latest + 1]);
    const broken: Migration = {
      version: latest + 2,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id integer); SELECT no_such_function();',
    };
    await expect(migrate(db, [...migrations, added, broken])).rejects.toSatisfy(isOperationOutcomeError);
    expect(await tables(db)).not.toContain('half_done');
    expect((await schemaStatus(db, [...migrations, added, broken])).pending).toEqual([latest + 2]);
  });

  it('refuses a database migrated by newer code', async () => {
    const db = await fresh();
    await migrate(db);
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from_the_future')");
    const refusal = await migrate(db).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isOperationOutcomeError(refusal) && refusal.message).toMatch(
      new RegExp(`version 999, newer than this Hospitium knows \\(${latest}\\)`),
    );
    expect(await schemaStatus(db)).toMatchObject({ current: 999, latest, newerThanCode: true });
  });

  it('rejects a migration list out of order or with a repeat, and accepts a gap', async () => {
    const db = await fresh();
    const m = (version: number) => ({ version, name: `m${version}`, sql: 'SELECT 1' });
    await expect(migrate(db, [m(2), m(1)])).rejects.toThrow(/version 1, expected a version above 2/);
    await expect(migrate(db, [m(1), m(1)])).rejects.toThrow(/expected a version above 1/);
    expect(await migrate(db, [m(1), m(3)])).toEqual([1, 3]);
  });

  it('applies a migration that fills a gap later (branches numbered in parallel)', async () => {
    const db = await fresh();
    const one = { version: 1, name: 'one', sql: 'CREATE TABLE gap_one (x int)' };
    const two = { version: 2, name: 'two', sql: 'CREATE TABLE gap_two (x int)' };
    const three = { version: 3, name: 'three', sql: 'CREATE TABLE gap_three (x int)' };
    expect(await migrate(db, [one, three])).toEqual([1, 3]);
    expect(await migrate(db, [one, two, three])).toEqual([2]);
    expect((await schemaStatus(db, [one, two, three])).pending).toEqual([]);
  });

  it('applies each migration exactly once when several processes migrate at the same time', async () => {
    const db = await fresh();
    // On a server each call takes its own pooled connections; on PGlite calls queue up.
    const results = await Promise.all([migrate(db), migrate(db), migrate(db)]);
    expect(results.flat().sort((a, b) => a - b)).toEqual(versions);
    expect((await schemaStatus(db)).current).toBe(latest);
    expect(name).toMatch(/pglite|postgres/);
  });
});
