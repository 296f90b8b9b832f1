import { conflict } from '@hospitium/fhir';
import type { Database, Queryable } from '../engine/types.js';
import { toDatabaseError } from '../errors.js';
import { migrations as knownMigrations } from './list.js';
import type { Migration } from './migration.js';

/** Arbitrary but fixed: every Hospitium process takes this advisory lock to migrate. */
const MIGRATION_LOCK_KEY = 4_780_215_961;

export interface AppliedMigration {
  version: number;
  name: string;
  appliedAt: string;
}

export interface SchemaStatus {
  /** Highest applied version (0 on an empty database). */
  current: number;
  /** Highest version this code knows. */
  latest: number;
  /** Versions known to the code and not yet applied, in order. */
  pending: number[];
  applied: AppliedMigration[];
  /** True when the database was migrated by newer code; this code must not use it. */
  newerThanCode: boolean;
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies pending migrations in version order, each in its own transaction, and returns the
 * versions it applied (empty when up to date). Safe to run from several processes at once on a
 * server: each step holds a transaction-scoped advisory lock and re-reads what is applied.
 * Throws (409) when the database has a version newer than this code knows.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = knownMigrations,
): Promise<number[]> {
  checkOrder(migrations);
  try {
    await db.transaction(async (tx) => {
      await lock(tx);
      await tx.query(createMigrationsTable);
    });
    const applied: number[] = [];
    for (const migration of migrations) {
      const didApply = await db.transaction(async (tx) => {
        await lock(tx);
        const versions = await appliedVersions(tx);
        refuseNewer(versions, migrations);
        if (versions.includes(migration.version)) return false;
        await tx.query(migration.sql);
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        return true;
      });
      if (didApply) applied.push(migration.version);
    }
    if (migrations.length === 0) {
      refuseNewer(await appliedVersions(db), migrations);
    }
    return applied;
  } catch (err) {
    throw toDatabaseError(err);
  }
}

/** What is applied, what the code knows, what is pending. Never changes the database. */
export async function schemaStatus(
  db: Queryable,
  migrations: readonly Migration[] = knownMigrations,
): Promise<SchemaStatus> {
  const exists = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  const rows = exists.rows[0]?.present
    ? (
        await db.query<{ version: number; name: string; applied_at: string }>(
          'SELECT version, name, applied_at FROM schema_migrations ORDER BY version',
        )
      ).rows
    : [];
  const applied = rows.map((r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at }));
  const appliedSet = new Set(applied.map((a) => a.version));
  const current = applied.reduce((max, a) => Math.max(max, a.version), 0);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  return {
    current,
    latest,
    pending: migrations.filter((m) => !appliedSet.has(m.version)).map((m) => m.version),
    applied,
    newerThanCode: current > latest,
  };
}

async function lock(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
}

async function appliedVersions(q: Queryable): Promise<number[]> {
  const result = await q.query<{ version: number }>('SELECT version FROM schema_migrations');
  return result.rows.map((r) => r.version);
}

function refuseNewer(applied: number[], migrations: readonly Migration[]): void {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const newest = applied.reduce((max, v) => Math.max(max, v), 0);
  if (newest > latest) {
    throw conflict(
      `The database schema is at version ${newest}, newer than this Hospitium knows (${latest}); ` +
        'upgrade Hospitium or point it at another database',
    );
  }
}

/**
 * Versions must be positive and strictly increasing. A gap is allowed: branches developed in
 * parallel take numbers up front, and a database migrated without the lower number applies it
 * when the code that has it arrives (each migration must therefore stand on its own).
 */
function checkOrder(migrations: readonly Migration[]): void {
  // Strictly increasing; a gap is allowed (work merged from parallel branches takes numbers out
  // of order), a repeat or a step back is a mistake in list.ts.
  migrations.forEach((m, i) => {
    const previous = i === 0 ? 0 : migrations[i - 1].version;
    if (!Number.isInteger(m.version) || m.version <= previous)
      throw new Error(`Migration ${m.name} has version ${m.version}, expected a version above ${previous}`);
  });
}
