import {
  conflict,
  isOperationOutcomeError,
  OperationOutcomeError,
  serverError,
  timeout,
} from '@hospitium/fhir';

/** The SQLSTATE codes the store reacts to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const SqlState = {
  uniqueViolation: '23505',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  queryCanceled: '57014',
} as const;

/** The SQLSTATE of a database error from pg or PGlite (both expose it as `code`), if any. */
export function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Errors worth running the whole transaction again for: another session won a race. */
export function isTransientError(err: unknown): boolean {
  const state = sqlState(err);
  return state === SqlState.serializationFailure || state === SqlState.deadlockDetected;
}

/**
 * Turns any error from a database call into an OperationOutcomeError: 23505 → 409, 40001/40P01
 * (after retries) → 409, 57014 (statement_timeout) → 504, anything else → 500 without details.
 * OperationOutcomeErrors thrown by our own code pass through unchanged.
 */
export function toDatabaseError(err: unknown): OperationOutcomeError {
  if (isOperationOutcomeError(err)) return err;
  const state = sqlState(err);
  let mapped: OperationOutcomeError;
  switch (state) {
    case SqlState.uniqueViolation:
      mapped = conflict('The resource already exists or was written concurrently (unique key conflict)');
      break;
    case SqlState.serializationFailure:
    case SqlState.deadlockDetected:
      mapped = conflict('The resource was changed by a concurrent request; retry the request');
      break;
    case SqlState.queryCanceled:
      mapped = timeout('The database did not answer in time (statement timeout)');
      break;
    default:
      return serverError(err);
  }
  // Keep the driver error as the cause for logs; the outcome itself never carries SQL details.
  return new OperationOutcomeError(mapped.outcome, { status: mapped.status, cause: err });
}

export interface RetryOptions {
  /** Total attempts, including the first. */
  attempts?: number;
  /** Extra SQLSTATEs to retry on (e.g. 23505 for update-as-create races). */
  alsoRetry?: readonly string[];
}

/**
 * Runs fn, retrying on serialisation failures and deadlocks (and `alsoRetry`) with a short
 * jittered back-off, then maps whatever remains with toDatabaseError. fn must be a whole
 * transaction: retrying a statement inside an aborted transaction cannot succeed.
 */
export async function withDatabaseRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const state = sqlState(err);
      const retryable = isTransientError(err) || (state !== undefined && options.alsoRetry?.includes(state));
      if (!retryable || attempt >= attempts) throw toDatabaseError(err);
      await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 5 + Math.random() * 10));
    }
  }
}
