import { describe, expect, it } from 'vitest';
import { parseInt8, parseTimestamptz } from './type-parsers.js';

describe('parseTimestamptz', () => {
  it('reads UTC output with milliseconds', () => {
    expect(parseTimestamptz('2024-03-05 07:08:09.123+00')).toBe('2024-03-05T07:08:09.123Z');
  });

  it('applies a session offset, including minutes', () => {
    expect(parseTimestamptz('2024-03-05 09:38:09.5+02:30')).toBe('2024-03-05T07:08:09.500Z');
    expect(parseTimestamptz('2024-03-05 02:08:09-05')).toBe('2024-03-05T07:08:09.000Z');
  });

  it('truncates microseconds to milliseconds', () => {
    expect(parseTimestamptz('2024-03-05 07:08:09.123999+00')).toBe('2024-03-05T07:08:09.123Z');
  });

  it('keeps infinities and unknown text as they are', () => {
    expect(parseTimestamptz('infinity')).toBe('infinity');
    expect(parseTimestamptz('garbage')).toBe('garbage');
  });
});

describe('parseInt8', () => {
  it('returns a number', () => {
    expect(parseInt8('9007199254740991')).toBe(9007199254740991);
  });
});
