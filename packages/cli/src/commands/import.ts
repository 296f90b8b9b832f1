import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRepository } from '@hospitium/db';
import {
  AuditRecorder,
  commandLineRequester,
  ImportAuditTrail,
  internalAccess,
  processBundle,
} from '@hospitium/server';
import type { HospitiumConfig } from '../config.js';
import { openConfiguredDatabase } from '../database.js';
import { type ImportSummary, importFiles } from '../import/importer.js';
import { createImportProgressBar } from '../import/progress.js';
import { fileSize } from '../import/read-input.js';
import { printImportSummary } from '../import/summary.js';
import { createLogger } from '../logger.js';

const IMPORTABLE = /\.(json|ndjson|jsonl)(\.gz)?$/i;

/**
 * Expands the arguments: files as given, directories to their importable files in name order.
 * Bundles whose names start with `_` (Synthea's hospital and practitioner bundles) go first,
 * so the organisations and practitioners exist before the patients that point at them.
 */
export function expandInputs(args: string[], cwd: string): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const path = resolve(cwd, arg);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) throw new Error(`no such file or directory: ${arg}`);
    if (stat.isDirectory()) {
      const names = readdirSync(path)
        .filter((n) => IMPORTABLE.test(n))
        .sort((a, b) => Number(b.startsWith('_')) - Number(a.startsWith('_')) || a.localeCompare(b));
      files.push(...names.map((n) => join(path, n)));
    } else files.push(path);
  }
  return files;
}

export interface ImportOptions {
  files: string[];
  concurrency?: number;
  reportFile?: string;
  progress: boolean;
}

/** `hospitium import FILE…`: loads FHIR Bundles and NDJSON into the configured database. */
export async function importCommand(config: HospitiumConfig, options: ImportOptions): Promise<ImportSummary> {
  const opened = await openConfiguredDatabase(config, 'hospitium import');
  try {
    const repository = createRepository(opened.db);
    const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    // The operator running the import acts as the server itself (full system access).
    const ctx = { repository, baseUrl: config.baseUrl, logger, access: internalAccess };
    const concurrency = options.concurrency ?? (config.databaseUrl ? 4 : 1);
    const totalBytes = options.files.reduce((sum, f) => sum + fileSize(f), 0);
    const bar = createImportProgressBar(totalBytes, options.progress);
    // Loading files bypasses the API's audit: the run records its own Import events.
    const trail = new ImportAuditTrail();
    const summary = await importFiles(
      options.files,
      async (bundle) => {
        const response = await processBundle(bundle, ctx, { prefer: 'return=minimal' });
        trail.noteBundle(bundle, response);
        return response;
      },
      { concurrency, onProgress: (p) => bar.update(p) },
    );
    bar.stop();
    await trail.record(new AuditRecorder(repository, opened.db, config.baseUrl), commandLineRequester(), {
      files: options.files,
      resources: summary.resources,
      errors: summary.errors.length,
    });
    printImportSummary(summary, {
      what: `${summary.files} file(s)`,
      target: opened.description,
      reportFile: options.reportFile,
    });
    return summary;
  } finally {
    await opened.close();
  }
}
