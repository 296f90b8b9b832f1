import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

/** A TestScript file found under a suite directory, with where it belongs in the report. */
export interface ScriptFile {
  path: string;
  /** The profile (top folder, e.g. `fhir-r4-base`, `hospitium`). */
  profile: string;
  /** The bucket (its subfolder, e.g. `MUST`, `crud`), `-` when the file sits in the profile folder. */
  bucket: string;
  /** The path relative to the directory it was found in, with `/` separators. */
  relativePath: string;
}

/** Folders that hold retired scripts: never run. */
const skippedFolders = new Set(['_archived', 'node_modules']);

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!skippedFolders.has(name) && !name.startsWith('.')) walk(path, out);
    } else if (name.endsWith('.json')) {
      out.push(path);
    }
  }
}

/**
 * Every `*.json` under `dir` (sorted, `_archived` folders left out). The profile and bucket come
 * from the path: `profile/bucket/x.json` below `dir`; when `dir` is itself a profile folder
 * (`fhir-r4-base/MUST/x.json` given `fhir-r4-base`), the profile is the folder's own name.
 * Files in folders named `fixtures` are resources that scripts reference, not scripts.
 */
export function discoverScripts(dir: string): ScriptFile[] {
  const files: string[] = [];
  walk(dir, files);
  return files
    .map((path) => {
      const parts = relative(dir, path).split(sep);
      const folders = parts.slice(0, -1);
      const [profile, bucket] =
        folders.length >= 2 ? [folders[0], folders.slice(1).join('/')] : [basename(dir), folders[0] ?? '-'];
      return { path, profile, bucket, relativePath: parts.join('/') };
    })
    .filter((f) => !f.relativePath.split('/').includes('fixtures'));
}
