import { writeFileSync } from 'node:fs';
import type { ImportSummary } from './importer.js';

/** Prints what an import stored, how fast, and the first 50 errors; writes the JSON report if asked. */
export function printImportSummary(
  summary: ImportSummary,
  options: { what: string; target: string; reportFile?: string },
): void {
  const rate = summary.seconds > 0 ? Math.round(summary.resources / summary.seconds) : summary.resources;
  process.stdout.write(
    `Imported ${summary.resources} resources from ${options.what} in ${summary.seconds.toFixed(1)} s ` +
      `(${rate} resources/s) into ${options.target}; ${summary.errors.length} error(s).\n`,
  );
  for (const e of summary.errors.slice(0, 50)) {
    process.stdout.write(
      `  ✗ ${e.file}${e.where ? ` ${e.where}` : ''}${e.status ? ` [${e.status}]` : ''}: ${e.message}\n`,
    );
  }
  if (summary.errors.length > 50) process.stdout.write(`  … and ${summary.errors.length - 50} more\n`);
  if (options.reportFile) {
    writeFileSync(options.reportFile, `${JSON.stringify(summary, null, 2)}\n`);
    process.stdout.write(`Error report written to ${options.reportFile}\n`);
  }
}
