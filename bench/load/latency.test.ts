import { describe, expect, it } from 'vitest';
import { LatencyRecorder, percentile } from './latency.mjs';

describe('percentile (nearest rank)', () => {
  it('picks the smallest sample that p % of the samples do not exceed', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 75)).toBe(3);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(1);
    expect(percentile([5], 99)).toBe(5);
  });

  it('answers 0 for no samples and refuses a p outside (0, 100]', () => {
    expect(percentile([], 50)).toBe(0);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('LatencyRecorder', () => {
  it('summarises unsorted samples: rate, percentiles, maximum and errors', () => {
    const r = new LatencyRecorder();
    for (const ms of [9, 1, 8, 2, 7, 3, 6, 4, 5, 10]) r.record(ms);
    r.fail();
    const s = r.summary(2);
    expect(s).toEqual({ requests: 10, errors: 1, rps: 5, p50Ms: 5, p90Ms: 9, p99Ms: 10, maxMs: 10 });
  });

  it('merges the samples and errors of several recorders', () => {
    const a = new LatencyRecorder();
    const b = new LatencyRecorder();
    a.record(1);
    b.record(3);
    b.fail();
    expect(a.merge(b).summary(1)).toMatchObject({ requests: 2, errors: 1, p50Ms: 1, maxMs: 3 });
  });
});
