import { OperationOutcomeError } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json-body.js';

function failure(text: string): OperationOutcomeError {
  try {
    parseJsonBody(text);
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err;
    throw err;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseJsonBody', () => {
  it('parses JSON and treats an empty body as absent', () => {
    expect(parseJsonBody('{"resourceType":"Patient","active":true}')).toEqual({
      resourceType: 'Patient',
      active: true,
    });
    expect(parseJsonBody('  \n')).toBeUndefined();
  });

  it('names the parse problem of malformed JSON (400)', () => {
    const err = failure('{"resourceType": "Patient",}');
    expect(err.status).toBe(400);
    expect(err.outcome.issue[0].details?.text).toMatch(/^Malformed JSON: .*position|property name/i);
  });

  it('rejects __proto__ and constructor keys at any depth, also when escaped', () => {
    for (const text of [
      '{"__proto__": {"admin": true}}',
      '{"resourceType":"Patient","name":[{"__proto__":{"x":1}}]}',
      '{"a":{"constructor":{"prototype":{"x":1}}}}',
      '{"\\u005f_proto__": {"admin": true}}',
    ]) {
      const err = failure(text);
      expect(err.status).toBe(400);
      expect(err.outcome.issue[0].details?.text).toMatch(/__proto__|constructor/);
    }
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('keeps the words in values and accepts ordinary \\u escapes', () => {
    expect(parseJsonBody('{"text":"__proto__ constructor","name":"Jos\\u00e9"}')).toEqual({
      text: '__proto__ constructor',
      name: 'José',
    });
  });
});
