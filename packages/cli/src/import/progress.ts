import cliProgress from 'cli-progress';
import type { ImportProgress } from './importer.js';

/** A progress bar over the input bytes, showing resources stored and resources per second. */
export function createImportProgressBar(totalBytes: number, enabled: boolean) {
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      format:
        ' importing |{bar}| {percentage}% | {resources} resources | {rate} resources/s | {errors} errors',
      hideCursor: true,
      noTTYOutput: false,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  if (enabled) bar.start(Math.max(totalBytes, 1), 0, { resources: 0, rate: 0, errors: 0 });
  return {
    update(p: ImportProgress) {
      if (!enabled) return;
      const seconds = (performance.now() - started) / 1000;
      bar.update(p.bytes, {
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
