import type { IndexRows, Resource } from '@hospitium/fhir';
import type { Database, Queryable } from '../engine/types.js';
import { toDatabaseError, withDatabaseRetry } from '../errors.js';
import type { SearchParameterLookup } from '../search/build-query.js';
import type { ChangeListener } from './types.js';

/** What every repository piece works with. */
export interface StoreContext {
  readonly db: Database;
  /** Where statements run: the database itself, or the caller's transaction. */
  readonly q: Queryable;
  /** True inside withTransaction: the caller owns the transaction, so no own BEGIN and no retry. */
  readonly bound: boolean;
  readonly lookup: SearchParameterLookup;
  readonly extract: (resource: Resource) => IndexRows;
  /** Called inside the write transaction with every change (see RepositoryOptions.onChange). */
  readonly onChange?: ChangeListener;
  /** Inside withTransaction: the advisory lock keys this transaction holds (lockConditional). */
  readonly held?: Set<string>;
}

/**
 * Runs work that needs a transaction (a write and the change listener's rows together). Outside
 * withTransaction it gets its own, retried on serialisation failures and deadlocks (and
 * `alsoRetry`); inside, it joins the caller's. Either way database errors leave as
 * OperationOutcomeErrors.
 */
export function inTransaction<T>(
  ctx: StoreContext,
  work: (q: Queryable) => Promise<T>,
  alsoRetry?: readonly string[],
): Promise<T> {
  if (ctx.bound) return mapped(() => work(ctx.q));
  return withDatabaseRetry(() => ctx.db.transaction(work), { alsoRetry });
}

/** Runs work made of a single statement (atomic by itself), or of reads. */
export function inStatement<T>(
  ctx: StoreContext,
  work: (q: Queryable) => Promise<T>,
  alsoRetry?: readonly string[],
): Promise<T> {
  if (ctx.bound) return mapped(() => work(ctx.q));
  return withDatabaseRetry(() => work(ctx.q), { alsoRetry });
}

async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toDatabaseError(err);
  }
}
