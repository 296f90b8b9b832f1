import { OperationOutcomeError } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { formatETag, httpDate, parseIfMatch, parsePrefer } from './headers.js';

describe('If-Match', () => {
  it('accepts weak, strong and bare version tags', () => {
    expect(parseIfMatch('W/"3"')).toBe('3');
    expect(parseIfMatch('"12"')).toBe('12');
    expect(parseIfMatch('7')).toBe('7');
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('  ')).toBeUndefined();
  });

  it('rejects values that are not a version tag with 400', () => {
    for (const bad of ['W/"a b"', '"x"y"', 'W/""', '*']) {
      try {
        parseIfMatch(bad);
        expect.fail(`accepted ${bad}`);
      } catch (err) {
        expect(err).toBeInstanceOf(OperationOutcomeError);
        expect((err as OperationOutcomeError).status).toBe(400);
      }
    }
  });

  it('formats weak ETags', () => {
    expect(formatETag('4')).toBe('W/"4"');
  });
});

describe('Prefer', () => {
  it('reads return and handling, in any order and separator', () => {
    expect(parsePrefer('return=minimal')).toEqual({ return: 'minimal' });
    expect(parsePrefer('return=OperationOutcome; handling=lenient')).toEqual({
      return: 'OperationOutcome',
      handling: 'lenient',
    });
    expect(parsePrefer('handling=strict, return="representation"')).toEqual({
      handling: 'strict',
      return: 'representation',
    });
  });

  it('ignores unknown preferences and values', () => {
    expect(parsePrefer('respond-async, return=everything, handling=maybe')).toEqual({});
    expect(parsePrefer(undefined)).toEqual({});
  });
});

describe('httpDate', () => {
  it('formats instants as RFC 7231 dates in GMT', () => {
    expect(httpDate('2024-03-05T10:11:12.345+01:00')).toBe('Tue, 05 Mar 2024 09:11:12 GMT');
  });
});
