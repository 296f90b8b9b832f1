import type { Bundle, BundleEntry, Resource } from '@hospitium/fhir';
import { toOperationOutcomeError } from '@hospitium/fhir';
import { type ImportChunk, readImportFile } from './read-input.js';

/** Processes one transaction or batch Bundle and returns its response Bundle (throws if a transaction fails). */
export type BundleProcessor = (bundle: Bundle) => Promise<Bundle>;

export interface ImportError {
  file: string;
  /** `entry[3]` for bundle entries, `line 17` for NDJSON, or undefined for the whole file. */
  where?: string;
  status?: string;
  message: string;
}

export interface ImportProgress {
  resources: number;
  bytes: number;
  errors: number;
  /** Bundles (or NDJSON chunks) processed. */
  bundles: number;
}

export interface ImportSummary {
  files: number;
  resources: number;
  errors: ImportError[];
  seconds: number;
}

function outcomeText(outcome: Resource | undefined): string {
  const issues = (
    outcome as { issue?: { details?: { text?: string }; diagnostics?: string; expression?: string[] }[] }
  )?.issue;
  if (!issues?.length) return 'failed';
  return issues
    .map(
      (i) =>
        `${i.details?.text ?? i.diagnostics ?? 'error'}${i.expression ? ` (${i.expression.join(', ')})` : ''}`,
    )
    .join('; ');
}

function errorText(err: unknown): string {
  const e = toOperationOutcomeError(err);
  return e.status === 500
    ? `${e.message}: ${(err as Error)?.message ?? String(err)}`
    : outcomeText(e.outcome);
}

/** Collection, document and searchset bundles: import each entry (keeping ids with PUT) as one batch. */
function entriesAsBatch(entries: { resource: Resource }[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'batch',
    entry: entries.map(({ resource }): BundleEntry => {
      const request = resource.id
        ? { method: 'PUT' as const, url: `${resource.resourceType}/${resource.id}` }
        : { method: 'POST' as const, url: resource.resourceType };
      return { resource, request };
    }),
  };
}

function countSucceeded(
  response: Bundle,
  file: string,
  errors: ImportError[],
  where: (i: number) => string,
): number {
  let ok = 0;
  (response.entry ?? []).forEach((entry, i) => {
    const status = entry.response?.status ?? '';
    if (/^2\d\d/.test(status)) ok++;
    else errors.push({ file, where: where(i), status, message: outcomeText(entry.response?.outcome) });
  });
  return ok;
}

async function importChunk(
  chunk: ImportChunk,
  file: string,
  process: BundleProcessor,
  errors: ImportError[],
): Promise<number> {
  if (chunk.kind === 'error') {
    errors.push({ file, where: chunk.line ? `line ${chunk.line}` : undefined, message: chunk.message });
    return 0;
  }
  if (chunk.kind === 'resources') {
    if (chunk.resources.length === 0) return 0;
    const response = await process(entriesAsBatch(chunk.resources));
    return countSucceeded(response, file, errors, (i) => `line ${chunk.resources[i]!.line}`);
  }
  const { bundle } = chunk;
  const entries = bundle.entry ?? [];
  if (bundle.type === 'transaction' || bundle.type === 'batch') {
    try {
      const response = await process(bundle);
      return countSucceeded(response, file, errors, (i) => `entry[${i}]`);
    } catch (err) {
      errors.push({ file, where: 'transaction', message: errorText(err) });
      return 0;
    }
  }
  const withResources = entries
    .map((e, i) => ({ resource: e.resource, i }))
    .filter((e): e is { resource: Resource; i: number } => !!e.resource);
  if (withResources.length === 0) {
    errors.push({ file, message: `Bundle of type ${bundle.type} has no entries with resources` });
    return 0;
  }
  const response = await process(entriesAsBatch(withResources));
  return countSucceeded(response, file, errors, (i) => `entry[${withResources[i]!.i}]`);
}

/**
 * Imports FHIR files (Bundles and NDJSON, plain or .gz). Files run `concurrency` at a time;
 * a failed entry is reported and the rest go on.
 */
export async function importFiles(
  files: string[],
  process: BundleProcessor,
  options: { concurrency: number; onProgress?: (p: ImportProgress) => void },
): Promise<ImportSummary> {
  const started = performance.now();
  const errors: ImportError[] = [];
  const progress: ImportProgress = { resources: 0, bytes: 0, errors: 0, bundles: 0 };
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      try {
        for await (const chunk of readImportFile(file)) {
          try {
            // Read the count first: `x += await …` would add to a stale x under concurrency.
            const stored = await importChunk(chunk, file, process, errors);
            progress.resources += stored;
          } catch (err) {
            errors.push({ file, message: errorText(err) });
          }
          progress.bytes += chunk.bytes;
          progress.bundles++;
          progress.errors = errors.length;
          options.onProgress?.(progress);
        }
      } catch (err) {
        errors.push({ file, message: `cannot read: ${(err as Error).message}` });
        progress.errors = errors.length;
        options.onProgress?.(progress);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, files.length)) }, worker));
  return {
    files: files.length,
    resources: progress.resources,
    errors,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A bundle made in memory (by `hospitium seed`), named for error reports. */
export interface NamedBundle {
  name: string;
  bundle: Bundle;
}

/**
 * Imports bundles from an iterable (generated on demand, never all in memory) through the same
 * path as files: `concurrency` bundles in flight, a failed transaction reported and the rest go on.
 */
export async function importBundles(
  source: Iterable<NamedBundle>,
  process: BundleProcessor,
  options: { concurrency: number; onProgress?: (p: ImportProgress) => void },
): Promise<ImportSummary> {
  const started = performance.now();
  const errors: ImportError[] = [];
  const progress: ImportProgress = { resources: 0, bytes: 0, errors: 0, bundles: 0 };
  const iterator = source[Symbol.iterator]();
  let count = 0;
  const worker = async () => {
    for (let item = iterator.next(); !item.done; item = iterator.next()) {
      count++;
      const { name, bundle } = item.value;
      try {
        const stored = await importChunk({ kind: 'bundle', bundle, bytes: 0 }, name, process, errors);
        progress.resources += stored;
      } catch (err) {
        errors.push({ file: name, message: errorText(err) });
      }
      progress.bundles++;
      progress.errors = errors.length;
      options.onProgress?.(progress);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return {
    files: count,
    resources: progress.resources,
    errors,
    seconds: (performance.now() - started) / 1000,
  };
}
