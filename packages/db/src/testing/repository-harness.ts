/** Shared setup of the repository contract suites: the database each opens and a helper for failures. */
import { isOperationOutcomeError } from '@hospitium/fhir';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../engine/types.js';
import { createRepository } from '../repository/repository.js';
import type { Repository } from '../repository/types.js';
import type { TestDatabase } from './databases.js';

/** The status and first issue text of the OperationOutcomeError a promise rejects with. */
export async function failure(promise: Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    await promise;
  } catch (err) {
    if (!isOperationOutcomeError(err)) throw err;
    return { status: err.status, text: err.outcome.issue.map((i) => i.details?.text ?? '').join('; ') };
  }
  throw new Error('expected the call to fail');
}

/**
 * Registers, inside `describe.each(testDatabases())`, the hooks that open a fresh database (and a
 * repository on it) before the suite's tests and close it after; `onOpen` receives both.
 */
export function repositoryHarness(
  open: TestDatabase['open'],
  onOpen: (opened: { db: Database; repo: Repository }) => void,
): void {
  let db: Database | undefined;
  beforeAll(async () => {
    db = await open();
    onOpen({ db, repo: createRepository(db) });
  });
  afterAll(async () => {
    await db?.close();
  });
}
