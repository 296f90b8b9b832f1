import type { Repository } from '@hospitium/db';
import { OperationOutcomeError } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { handleFhirRequest, matchPath } from './router.js';
import type { FhirContext, FhirRequest } from './types.js';

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.status;
    throw err;
  }
  return 0;
}

const ctx: FhirContext = {
  repository: {} as Repository,
  baseUrl: 'http://test/fhir',
  logger: { error() {}, warn() {}, info() {} },
};
const request = (method: string, path: string): FhirRequest => ({
  method,
  segments: path.split('/').filter(Boolean),
  query: new URLSearchParams(),
  headers: {},
  body: undefined,
});

describe('matchPath', () => {
  it('knows every FHIR path shape', () => {
    expect(Object.keys(matchPath([])).sort()).toEqual(['GET', 'POST']);
    expect(Object.keys(matchPath(['metadata']))).toEqual(['GET']);
    expect(Object.keys(matchPath(['_history']))).toEqual(['GET']);
    expect(Object.keys(matchPath(['Patient'])).sort()).toEqual(['DELETE', 'GET', 'PATCH', 'POST', 'PUT']);
    expect(Object.keys(matchPath(['Patient', '_search'])).sort()).toEqual(['GET', 'POST']);
    expect(Object.keys(matchPath(['Patient', '1'])).sort()).toEqual(['DELETE', 'GET', 'PATCH', 'PUT']);
    expect(Object.keys(matchPath(['Patient', '1', '_history']))).toEqual(['GET']);
    expect(Object.keys(matchPath(['Patient', '1', '_history', '2']))).toEqual(['GET']);
    expect(Object.keys(matchPath(['Patient', '1', 'Observation']))).toEqual(['GET']);
    expect(Object.keys(matchPath(['Patient', '1', 'Observation', '_search'])).sort()).toEqual([
      'GET',
      'POST',
    ]);
    expect(Object.keys(matchPath(['Patient', '1', '$everything'])).sort()).toEqual(['GET', 'POST']);
  });

  it('answers 404 for unknown types, operations and deeper paths', () => {
    expect(status(() => matchPath(['Patients']))).toBe(404);
    expect(status(() => matchPath(['patient']))).toBe(404);
    // $everything exists on Patient (type and instance level) only.
    expect(status(() => matchPath(['Encounter', '$everything']))).toBe(404);
    expect(status(() => matchPath(['Observation', '1', '$everything']))).toBe(404);
    expect(status(() => matchPath(['Patient', '1', 'Observation', 'x']))).toBe(404);
    expect(status(() => matchPath(['Patient', '1', 'x']))).toBe(404);
    expect(status(() => matchPath(['Patient', '1', '_history', '2', 'x']))).toBe(404);
  });
});

describe('handleFhirRequest', () => {
  it('answers 405 with Allow for a method the path does not support', async () => {
    const res = await handleFhirRequest(request('DELETE', 'metadata'), ctx);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] });
    expect((await handleFhirRequest(request('PUT', ''), ctx)).status).toBe(405);
    expect((await handleFhirRequest(request('POST', 'Patient/1'), ctx)).status).toBe(405);
  });
});
