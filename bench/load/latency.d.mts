export interface LatencySummary {
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export declare class LatencyRecorder {
  samples: number[];
  errors: number;
  record(ms: number): void;
  fail(): void;
  merge(other: LatencyRecorder): LatencyRecorder;
  summary(seconds: number): LatencySummary;
}

export declare function percentile(sorted: ArrayLike<number>, p: number): number;
