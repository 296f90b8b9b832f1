import { writeFileSync } from 'node:fs';
import type { SuiteReport } from '../suite.js';
import { summaryRows } from './text.js';

/** Writes the whole run as JSON: totals, the per-profile/bucket table and every script's results. */
export function writeJsonReport(report: SuiteReport, file: string): void {
  const json = {
    base: report.base,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    passed: report.passed,
    failed: report.failed,
    summary: summaryRows(report),
    scripts: report.scripts.map(({ file: f, result }) => ({
      path: f.relativePath,
      profile: f.profile,
      bucket: f.bucket,
      ...result,
    })),
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}
