/**
 * Latency recording with exact percentiles: every sample is kept (a run records at most a few
 * hundred thousand numbers) and sorted once when summarised, so p99 is the sample itself rather
 * than a bucket bound.
 */
export class LatencyRecorder {
  constructor() {
    /** @type {number[]} */
    this.samples = [];
    this.errors = 0;
  }

  /** One successful request that took `ms` milliseconds. */
  record(ms) {
    this.samples.push(ms);
  }

  /** One failed request (non-2xx status or transport error). */
  fail() {
    this.errors++;
  }

  /** Adds every sample and error of `other`. */
  merge(other) {
    for (const s of other.samples) this.samples.push(s);
    this.errors += other.errors;
    return this;
  }

  /** Requests/s over `seconds`, p50/p90/p99/max in ms and the error count. */
  summary(seconds) {
    const sorted = Float64Array.from(this.samples).sort();
    return {
      requests: sorted.length,
      errors: this.errors,
      rps: seconds > 0 ? sorted.length / seconds : 0,
      p50Ms: percentile(sorted, 50),
      p90Ms: percentile(sorted, 90),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.length ? sorted[sorted.length - 1] : 0,
    };
  }
}

/**
 * The nearest-rank percentile of ascending `sorted` samples: the smallest sample that at least
 * p % of the samples do not exceed (p50 of [1,2,3,4] is 2; p99 of 100 samples is the 99th).
 * Returns 0 for no samples.
 */
export function percentile(sorted, p) {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
