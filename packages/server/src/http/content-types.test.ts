import { describe, expect, it } from 'vitest';
import { acceptsJson, isJsonFormat } from './content-types.js';

describe('content negotiation', () => {
  it('accepts JSON, wildcards and browser Accept headers', () => {
    expect(acceptsJson('application/fhir+json')).toBe(true);
    expect(acceptsJson('application/json; charset=utf-8')).toBe(true);
    expect(acceptsJson('*/*')).toBe(true);
    expect(acceptsJson('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
  });

  it('refuses XML-only and JSON with q=0', () => {
    expect(acceptsJson('application/fhir+xml')).toBe(false);
    expect(acceptsJson('application/xml, text/xml')).toBe(false);
    expect(acceptsJson('application/fhir+json;q=0, application/fhir+xml')).toBe(false);
  });

  it('knows the JSON _format values, including an unencoded +', () => {
    for (const f of ['json', 'application/json', 'application/fhir+json', 'application/fhir json']) {
      expect(isJsonFormat(f)).toBe(true);
    }
    for (const f of ['xml', 'application/fhir+xml', 'html', 'ttl']) expect(isJsonFormat(f)).toBe(false);
  });
});
