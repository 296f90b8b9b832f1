import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Population } from '@hospitium/seed';
import { ConfigError } from '../config.js';

/** Name of the shared bundle's file: `_` sorts it first when `hospitium import DIR` reads the folder. */
export const SHARED_FILE = '_shared.json';

/** File name of patient `index` (zero-padded so name order is generation order). */
export function patientFileName(index: number): string {
  return `patient-${String(index + 1).padStart(7, '0')}.json`;
}

export interface WriteSummary {
  files: number;
  resources: number;
  bytes: number;
  seconds: number;
}

/**
 * Writes a population as transaction Bundles, one file per patient plus the shared bundle.
 * The directory must be new or empty, so two populations never mix in one folder.
 */
export function writePopulation(
  population: Population,
  dir: string,
  onPatient?: (written: WriteSummary) => void,
): WriteSummary {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new ConfigError([`--out ${dir} is not empty; choose a new or empty directory`]);
  }
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const summary: WriteSummary = { files: 0, resources: 0, bytes: 0, seconds: 0 };
  const write = (name: string, bundle: Population['shared']) => {
    const text = JSON.stringify(bundle);
    writeFileSync(join(dir, name), text);
    summary.files++;
    summary.resources += bundle.entry?.length ?? 0;
    summary.bytes += Buffer.byteLength(text);
  };
  write(SHARED_FILE, population.shared);
  let index = 0;
  for (const bundle of population.patients()) {
    write(patientFileName(index++), bundle);
    summary.seconds = (performance.now() - started) / 1000;
    onPatient?.(summary);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
