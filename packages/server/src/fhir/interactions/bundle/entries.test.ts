import { OperationOutcomeError } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { entryRequest, parseEntryUrl, planEntry, processingOrder } from './entries.js';

const base = 'http://test/fhir';

function rejection(raw: unknown): OperationOutcomeError {
  try {
    planEntry(raw, 0, base);
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('parseEntryUrl', () => {
  it('parses relative and absolute URLs on this server', () => {
    expect(parseEntryUrl('Patient/1/_history/2', base).segments).toEqual(['Patient', '1', '_history', '2']);
    const abs = parseEntryUrl(`${base}/Patient?identifier=http://x|1`, base);
    expect(abs.segments).toEqual(['Patient']);
    expect(abs.query.get('identifier')).toBe('http://x|1');
    expect(parseEntryUrl('/Patient/a%20b', base).segments).toEqual(['Patient', 'a b']);
  });

  it('refuses URLs on other servers', () => {
    expect(() => parseEntryUrl('http://elsewhere/fhir/Patient/1', base)).toThrow(/not on this server/);
  });
});

describe('planEntry', () => {
  it('plans a POST with its resource and fullUrl', () => {
    const entry = planEntry(
      {
        fullUrl: 'urn:uuid:1',
        resource: { resourceType: 'Patient' },
        request: { method: 'POST', url: 'Patient' },
      },
      4,
      base,
    );
    expect(entry).toMatchObject({ index: 4, method: 'POST', segments: ['Patient'], fullUrl: 'urn:uuid:1' });
  });

  it('decodes the JSON Patch of a PATCH entry from its Binary', () => {
    const patch = [{ op: 'replace', path: '/active', value: false }];
    const entry = planEntry(
      {
        resource: {
          resourceType: 'Binary',
          contentType: 'application/json-patch+json',
          data: Buffer.from(JSON.stringify(patch)).toString('base64'),
        },
        request: { method: 'PATCH', url: 'Patient/1' },
      },
      0,
      base,
    );
    expect(entry.patch).toEqual(patch);
    expect(entryRequest(entry).headers['content-type']).toBe('application/json-patch+json');
  });

  it('rejects malformed entries with 400', () => {
    expect(rejection(null).status).toBe(400);
    expect(rejection({ resource: { resourceType: 'Patient' } }).outcome.issue[0].details?.text).toContain(
      'no request',
    );
    expect(rejection({ request: { method: 'COPY', url: 'Patient' } }).status).toBe(400);
    expect(rejection({ request: { method: 'GET' } }).status).toBe(400);
    expect(rejection({ request: { method: 'POST', url: 'Patient' } }).status).toBe(400);
    const mismatch = rejection({
      resource: { resourceType: 'Observation' },
      request: { method: 'POST', url: 'Patient' },
    });
    expect(mismatch.outcome.issue[0].expression).toEqual(['resourceType']);
    expect(
      rejection({ resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient/1' } })
        .status,
    ).toBe(400);
    expect(
      rejection({ resource: { resourceType: 'Bundle' }, request: { method: 'POST', url: '' } }).status,
    ).toBe(400);
    const fhirPathPatch = rejection({
      resource: { resourceType: 'Parameters' },
      request: { method: 'PATCH', url: 'Patient/1' },
    });
    expect(fhirPathPatch.status).toBe(415);
  });
});

describe('processingOrder', () => {
  it('orders DELETE, POST, PUT/PATCH, GET/HEAD and keeps bundle order within each', () => {
    const methods = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'POST', 'HEAD', 'DELETE'] as const;
    const ordered = processingOrder(methods.map((method, i) => ({ method, i })));
    expect(ordered.map((e) => `${e.method}${e.i}`)).toEqual([
      'DELETE3',
      'DELETE7',
      'POST2',
      'POST5',
      'PUT1',
      'PATCH4',
      'GET0',
      'HEAD6',
    ]);
  });
});
