import { badRequest, isOperationOutcomeError } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { sqlState, toDatabaseError, withDatabaseRetry } from './errors.js';

const dbError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

describe('toDatabaseError', () => {
  it('maps SQLSTATEs to the statuses a client can act on', () => {
    expect(toDatabaseError(dbError('23505')).status).toBe(409);
    expect(toDatabaseError(dbError('40001')).status).toBe(409);
    expect(toDatabaseError(dbError('40P01')).status).toBe(409);
    expect(toDatabaseError(dbError('57014')).status).toBe(504);
    expect(toDatabaseError(dbError('42P01')).status).toBe(500);
    expect(toDatabaseError(new Error('ECONNREFUSED')).status).toBe(500);
  });

  it('never leaks SQL details into the outcome but keeps the cause', () => {
    const cause = dbError('42P01');
    const mapped = toDatabaseError(cause);
    expect(JSON.stringify(mapped.outcome)).not.toContain('sqlstate');
    expect(mapped.cause).toBe(cause);
  });

  it('passes OperationOutcomeErrors through unchanged', () => {
    const original = badRequest('nope');
    expect(toDatabaseError(original)).toBe(original);
  });

  it('reads SQLSTATE only from a 5-character code', () => {
    expect(sqlState(dbError('23505'))).toBe('23505');
    expect(sqlState({ code: 'ECONNREFUSED' })).toBeUndefined();
    expect(sqlState('23505')).toBeUndefined();
  });
});

describe('withDatabaseRetry', () => {
  it('retries serialisation failures and deadlocks, then succeeds', async () => {
    const failures = ['40001', '40P01'];
    let calls = 0;
    const result = await withDatabaseRetry(async () => {
      calls++;
      const code = failures.shift();
      if (code) throw dbError(code);
      return 'done';
    });
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up after the attempts with a 409', async () => {
    let calls = 0;
    const err = await withDatabaseRetry(
      async () => {
        calls++;
        throw dbError('40001');
      },
      { attempts: 3 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(isOperationOutcomeError(err) && err.status).toBe(409);
  });

  it('does not retry other errors, unless asked to', async () => {
    let calls = 0;
    const unique = async () => {
      calls++;
      throw dbError('23505');
    };
    await withDatabaseRetry(unique).catch(() => undefined);
    expect(calls).toBe(1);
    await withDatabaseRetry(unique, { alsoRetry: ['23505'], attempts: 2 }).catch(() => undefined);
    expect(calls).toBe(3);
  });
});
