import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { assertId, checkResource, nextLastUpdated, stampVersion } from './resource-meta.js';

const status = (run: () => unknown) => {
  try {
    run();
    return 200;
  } catch (err) {
    return isOperationOutcomeError(err) ? err.status : -1;
  }
};

describe('assertId', () => {
  it('accepts FHIR ids and rejects everything else with 400', () => {
    expect(status(() => assertId('abc-DEF.123'))).toBe(200);
    expect(status(() => assertId('x'.repeat(64)))).toBe(200);
    expect(status(() => assertId('x'.repeat(65)))).toBe(400);
    expect(status(() => assertId(''))).toBe(400);
    expect(status(() => assertId('a_b'))).toBe(400);
    expect(status(() => assertId('a/b'))).toBe(400);
    expect(status(() => assertId(42))).toBe(400);
  });
});

describe('checkResource', () => {
  it('rejects non-resources, unknown types, a type mismatch and invalid content', () => {
    expect(status(() => checkResource(null))).toBe(400);
    expect(status(() => checkResource([]))).toBe(400);
    expect(status(() => checkResource({ resourceType: 'Spaceship' }))).toBe(400);
    expect(status(() => checkResource({ resourceType: 'Patient' }, 'Observation'))).toBe(400);
    expect(status(() => checkResource({ resourceType: 'Patient', gender: 7 }))).toBe(400);
    expect(status(() => checkResource({ resourceType: 'Patient', gender: 'female' }))).toBe(200);
  });
});

describe('stampVersion', () => {
  it('puts id and meta first, replaces versionId/lastUpdated, keeps the rest of meta', () => {
    const input: Resource = {
      active: true,
      resourceType: 'Patient',
      id: 'old',
      meta: { lastUpdated: '2000-01-01T00:00:00Z', versionId: '9', tag: [{ code: 't' }], source: 'lab' },
    };
    const stamped = stampVersion(input, 'new', 3, '2024-01-01T00:00:00.000Z');
    expect(JSON.stringify(stamped)).toBe(
      '{"resourceType":"Patient","id":"new","meta":{"versionId":"3","lastUpdated":"2024-01-01T00:00:00.000Z","tag":[{"code":"t"}],"source":"lab"},"active":true}',
    );
    expect(input.id).toBe('old');
  });
});

describe('nextLastUpdated', () => {
  it('is now in ISO with milliseconds, and always after the previous version', () => {
    expect(nextLastUpdated()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(Date.parse(nextLastUpdated(future)) - Date.parse(future)).toBe(1);
    expect(Date.parse(nextLastUpdated('2000-01-01T00:00:00.000Z'))).toBeGreaterThan(Date.parse('2020-01-01'));
  });
});
