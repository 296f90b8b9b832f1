import { resolve } from 'node:path';
import { createRepository } from '@hospitium/db';
import { generatePopulation, MAX_PATIENTS, type Population } from '@hospitium/seed';
import { processBundle } from '@hospitium/server';
import { ConfigError, type HospitiumConfig } from '../config.js';
import { openConfiguredDatabase } from '../database.js';
import { type ImportSummary, importBundles, type NamedBundle } from '../import/importer.js';
import { createProgressBar } from '../import/progress.js';
import { printImportSummary } from '../import/summary.js';
import { createLogger } from '../logger.js';
import { patientFileName, SHARED_FILE, type WriteSummary, writePopulation } from '../seed/write-bundles.js';

export interface SeedOptions {
  patients: number;
  seed?: string;
  asOf?: string;
  /** Write Bundles to this directory instead of loading them. */
  out?: string;
  concurrency?: number;
  reportFile?: string;
  progress: boolean;
}

/** Parses and checks the `seed` flags; every problem is listed at once. */
export function parseSeedFlags(flags: {
  patients?: string;
  seed?: string;
  'as-of'?: string;
  out?: string;
}): Pick<SeedOptions, 'patients' | 'seed' | 'asOf' | 'out'> {
  const problems: string[] = [];
  const patients = Number(flags.patients);
  if (flags.patients === undefined) problems.push('seed needs --patients N');
  else if (!/^\d+$/.test(flags.patients) || patients < 1 || patients > MAX_PATIENTS) {
    problems.push(`--patients must be an integer from 1 to ${MAX_PATIENTS} (got "${flags.patients}")`);
  }
  if (flags.seed !== undefined && flags.seed.trim() === '') problems.push('--seed must not be empty');
  const asOf = flags['as-of'];
  if (asOf !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))) {
    problems.push(`--as-of must be a date YYYY-MM-DD (got "${asOf}")`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { patients, seed: flags.seed, asOf, out: flags.out };
}

function* namedBundles(population: Population): Iterable<NamedBundle> {
  let index = 0;
  for (const bundle of population.patients()) yield { name: patientFileName(index++), bundle };
}

/** `hospitium seed --out DIR`: writes the population as transaction Bundle files. */
function seedToDirectory(population: Population, options: SeedOptions, cwd: string): WriteSummary {
  const dir = resolve(cwd, options.out!);
  const bar = createProgressBar({
    label: 'generating',
    total: options.patients,
    enabled: options.progress,
    value: (p) => p.bundles,
  });
  const summary = writePopulation(population, dir, (s) =>
    bar.update({ resources: s.resources, bytes: s.bytes, errors: 0, bundles: s.files - 1 }),
  );
  bar.stop();
  const rate = summary.seconds > 0 ? Math.round(summary.resources / summary.seconds) : summary.resources;
  process.stdout.write(
    `Wrote ${summary.resources} resources for ${options.patients} patient(s) in ${summary.files} file(s) ` +
      `(${(summary.bytes / 1e6).toFixed(1)} MB) to ${dir} in ${summary.seconds.toFixed(1)} s (${rate} resources/s).\n` +
      `Load them with: hospitium import ${dir}\n`,
  );
  return summary;
}

/**
 * `hospitium seed --patients N [--seed S] [--out DIR]`: generates a synthetic population and
 * loads it into the configured database through the import path (shared bundle first, then the
 * patients, `concurrency` at a time), or writes it as Bundle files with `--out`.
 */
export async function seedCommand(
  config: HospitiumConfig,
  options: SeedOptions,
  cwd = process.cwd(),
): Promise<ImportSummary | WriteSummary> {
  const population = generatePopulation({
    patients: options.patients,
    seed: options.seed,
    asOf: options.asOf,
  });
  if (options.out !== undefined) return seedToDirectory(population, options, cwd);

  const opened = await openConfiguredDatabase(config, 'hospitium seed');
  try {
    const repository = createRepository(opened.db);
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    const ctx = { repository, baseUrl: config.baseUrl, logger };
    const process_ = (bundle: NamedBundle['bundle']) =>
      processBundle(bundle, ctx, { prefer: 'return=minimal' });
    const what = `${options.patients} generated patient(s) (seed ${options.seed ?? 'default'})`;
    // The patients refer to the shared resources: stop if those cannot be stored.
    const shared = await importBundles([{ name: SHARED_FILE, bundle: population.shared }], process_, {
      concurrency: 1,
    });
    if (shared.errors.length > 0) {
      printImportSummary(shared, { what, target: opened.description, reportFile: options.reportFile });
      return shared;
    }
    const bar = createProgressBar({
      label: 'seeding',
      total: options.patients,
      enabled: options.progress,
      value: (p) => p.bundles,
    });
    const patients = await importBundles(namedBundles(population), process_, {
      concurrency: options.concurrency ?? (config.databaseUrl ? 4 : 1),
      onProgress: (p) => bar.update({ ...p, resources: p.resources + shared.resources }),
    });
    bar.stop();
    const summary: ImportSummary = {
      files: shared.files + patients.files,
      resources: shared.resources + patients.resources,
      errors: patients.errors,
      seconds: shared.seconds + patients.seconds,
    };
    printImportSummary(summary, { what, target: opened.description, reportFile: options.reportFile });
    return summary;
  } finally {
    await opened.close();
  }
}
