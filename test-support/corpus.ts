import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/**
 * The shared corpus (Synthea patients, FHIR examples, HL7 v2 messages…) lives beside the
 * repository, never inside it: `HOSPITIUM_CORPUS` (the `shared` folder or its `corpus` folder)
 * or `../shared` from the repository root. Tests that need it skip with a visible reason when absent.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function findCorpus(): string | undefined {
  const candidates = [process.env.HOSPITIUM_CORPUS, join(repoRoot, '..', 'shared')].filter(
    (c): c is string => !!c,
  );
  for (const c of candidates) {
    if (existsSync(join(c, 'corpus', 'SOURCES.md'))) return join(c, 'corpus');
    if (existsSync(join(c, 'SOURCES.md'))) return c;
  }
  return undefined;
}

export const corpusDir: string | undefined = findCorpus();

/** Reason to show when a corpus-driven test is skipped. */
export const corpusMissingReason =
  'shared corpus not found (set HOSPITIUM_CORPUS or place shared/ beside the repository)';

/** Path inside the corpus; throws when the corpus is absent (guard with `corpusDir`). */
export function corpusPath(...parts: string[]): string {
  if (!corpusDir) throw new Error(corpusMissingReason);
  return join(corpusDir, ...parts);
}

/** Reads a corpus file, gunzipping `.gz` files. */
export function readCorpusFile(...parts: string[]): Buffer {
  const path = corpusPath(...parts);
  const raw = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(raw) : raw;
}

export function readCorpusJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readCorpusFile(...parts).toString('utf8')) as T;
}

export function listCorpus(...parts: string[]): string[] {
  return readdirSync(corpusPath(...parts)).sort();
}
