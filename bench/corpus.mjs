import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The shared corpus beside the repository (or HOSPITIUM_CORPUS); undefined when absent. */
export function findCorpus() {
  for (const c of [process.env.HOSPITIUM_CORPUS, join(repoRoot, '..', 'shared')].filter(Boolean)) {
    if (existsSync(join(c, 'corpus', 'SOURCES.md'))) return join(c, 'corpus');
    if (existsSync(join(c, 'SOURCES.md'))) return c;
  }
  return undefined;
}

/** The Synthea transaction bundles: hospital and practitioner bundles first, then the patients. */
export function syntheaFiles(corpus) {
  const dir = join(corpus, 'synthea', 'fhir-r4');
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json.gz') || n.endsWith('.json'))
    .sort((a, b) => Number(b.startsWith('_')) - Number(a.startsWith('_')) || a.localeCompare(b))
    .map((n) => join(dir, n));
}
