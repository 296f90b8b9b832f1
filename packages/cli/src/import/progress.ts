import cliProgress from 'cli-progress';
import type { ImportProgress } from './importer.js';

/**
 * A progress bar on stderr showing resources stored and resources per second. `total` and
 * `value` say what the bar measures: input bytes for `import`, patients for `seed`.
 */
export function createProgressBar(options: {
  label: string;
  total: number;
  enabled: boolean;
  value: (p: ImportProgress) => number;
}) {
  const { enabled } = options;
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      format: ` ${options.label} |{bar}| {percentage}% | {resources} resources | {rate} resources/s | {errors} errors`,
      hideCursor: true,
      noTTYOutput: false,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  if (enabled) bar.start(Math.max(options.total, 1), 0, { resources: 0, rate: 0, errors: 0 });
  return {
    update(p: ImportProgress) {
      if (!enabled) return;
      const seconds = (performance.now() - started) / 1000;
      bar.update(options.value(p), {
        resources: p.resources,
        rate: seconds > 0 ? Math.round(p.resources / seconds) : 0,
        errors: p.errors,
      });
    },
    stop() {
      if (enabled) bar.stop();
    },
  };
}

/** The `import` bar: progress over the input bytes. */
export function createImportProgressBar(totalBytes: number, enabled: boolean) {
  return createProgressBar({ label: 'importing', total: totalBytes, enabled, value: (p) => p.bytes });
}
