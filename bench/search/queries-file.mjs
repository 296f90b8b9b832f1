import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The peer suite's query file, read at run time: beside the checkout (`../shared`) or beside the
 * corpus that HOSPITIUM_CORPUS names. Undefined when neither has it.
 */
export function findQueriesFile() {
  const roots = [join(repoRoot, '..', 'shared')];
  if (process.env.HOSPITIUM_CORPUS) {
    const c = resolve(process.env.HOSPITIUM_CORPUS);
    roots.unshift(c, dirname(c));
  }
  for (const root of roots) {
    const file = join(root, 'peer-suites', 'fhir-server-compare', 'config', 'queries.yaml');
    if (existsSync(file)) return file;
  }
  return undefined;
}
