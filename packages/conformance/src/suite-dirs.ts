import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder (the same from `src/` under vitest and from `dist/` when built). */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The project's own TestScripts. */
export const ownScriptsDir = join(packageRoot, 'testscripts');

/** Where the peer suite sits inside the shared folder. */
const peerSuitePath = ['peer-suites', 'fhir-server-compare', 'conformance', 'testscripts'];

/** The peer profiles the project must pass. */
export const peerProfiles = ['fhir-r4-base', 'bulk-data-v2'] as const;

/** Reason to show when the peer suite is absent. */
export const peerSuiteMissingReason =
  'peer suite not found (set HOSPITIUM_CORPUS to the shared folder, or place shared/ beside the repository)';

/**
 * The peer suite's testscripts folder, read in place at run time (never copied into the
 * repository): `HOSPITIUM_CORPUS` (the shared folder or its `corpus` folder), else `shared/`
 * beside the repository. Undefined when absent.
 */
export function findPeerSuite(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const repoRoot = resolve(packageRoot, '..', '..');
  const candidates = [
    env.HOSPITIUM_CORPUS,
    env.HOSPITIUM_CORPUS ? join(env.HOSPITIUM_CORPUS, '..') : undefined,
    join(repoRoot, '..', 'shared'),
  ].filter((c): c is string => !!c);
  for (const shared of candidates) {
    const dir = join(shared, ...peerSuitePath);
    if (existsSync(dir)) return dir;
  }
  return undefined;
}

/** The directories `npm run conformance` runs without `--dir`: the peer profiles, then our own. */
export function defaultScriptDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const peer = findPeerSuite(env);
  const dirs = peer ? peerProfiles.map((p) => join(peer, p)).filter((d) => existsSync(d)) : [];
  return [...dirs, ownScriptsDir];
}
