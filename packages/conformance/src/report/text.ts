import { testFailure } from '../run/script.js';
import type { SuiteReport } from '../suite.js';

interface Row {
  profile: string;
  bucket: string;
  passed: number;
  total: number;
  testsPassed: number;
  tests: number;
}

/** passed/total per profile and bucket, in the order the scripts ran. */
export function summaryRows(report: SuiteReport): Row[] {
  const rows = new Map<string, Row>();
  for (const { file, result } of report.scripts) {
    const key = `${file.profile}\u0000${file.bucket}`;
    const row = rows.get(key) ?? {
      profile: file.profile,
      bucket: file.bucket,
      passed: 0,
      total: 0,
      testsPassed: 0,
      tests: 0,
    };
    row.total++;
    if (result.passed) row.passed++;
    row.tests += result.tests.length;
    row.testsPassed += result.tests.filter((t) => t.passed).length;
    rows.set(key, row);
  }
  return [...rows.values()];
}

function table(header: string[], body: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/**
 * The console report: a table of scripts passed/total (and tests) per profile and bucket, then
 * every failure with its assert and the actual value, ending with exactly one line
 * `N passed, N failed` (scripts).
 */
export function formatReport(report: SuiteReport): string {
  const rows = summaryRows(report);
  const out: string[] = [
    `Conformance run against ${report.base} (${(report.durationMs / 1000).toFixed(1)} s)`,
    '',
  ];
  const profiles = [...new Set(rows.map((r) => r.profile))];
  const body: string[][] = [];
  for (const profile of profiles) {
    const own = rows.filter((r) => r.profile === profile);
    for (const r of own)
      body.push([profile, r.bucket, `${r.passed}/${r.total}`, `${r.testsPassed}/${r.tests}`]);
    const sum = (f: (r: Row) => number) => own.reduce((n, r) => n + f(r), 0);
    body.push([
      profile,
      'all',
      `${sum((r) => r.passed)}/${sum((r) => r.total)}`,
      `${sum((r) => r.testsPassed)}/${sum((r) => r.tests)}`,
    ]);
  }
  out.push(...table(['profile', 'bucket', 'scripts', 'tests'], body));

  const failures = report.scripts.filter((s) => !s.result.passed);
  if (failures.length > 0) out.push('', 'Failures:');
  for (const { file, result } of failures) {
    out.push(`✗ ${file.profile}/${file.relativePath.split('/').slice(-2).join('/')} (${result.name})`);
    if (result.setupFailure) out.push(`    setup: ${result.setupFailure}`);
    for (const test of result.tests) {
      const why = testFailure(test);
      if (why) out.push(`    ${test.name}: ${why}`);
    }
  }
  const problems = report.scripts.flatMap((s) =>
    s.result.teardownProblems.map((p) => `${s.file.relativePath}: ${p}`),
  );
  if (problems.length > 0)
    out.push('', 'Teardown problems (not counted):', ...problems.map((p) => `    ${p}`));
  out.push('', `${report.passed} passed, ${report.failed} failed`);
  return out.join('\n');
}
