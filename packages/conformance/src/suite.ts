import { readFileSync } from 'node:fs';
import { withBearerToken } from './run/auth.js';
import { fetchClient, type HttpClient } from './run/http.js';
import { runScript, type ScriptResult } from './run/script.js';
import { discoverScripts, type ScriptFile } from './script/discover.js';
import { parseTestScript } from './script/parse.js';

/** One script's place and result. */
export interface ScriptReport {
  file: ScriptFile;
  result: ScriptResult;
}

export interface SuiteReport {
  base: string;
  startedAt: string;
  durationMs: number;
  scripts: ScriptReport[];
  passed: number;
  failed: number;
}

export interface RunSuitesOptions {
  /** The FHIR base URL (a trailing slash is ignored). */
  base: string;
  /** Directories to search for `*.json` TestScripts (`_archived` left out). */
  dirs: readonly string[];
  /** How requests are sent; `fetch` unless a test injects another. */
  client?: HttpClient;
  /** A bearer access token sent with every request to the server. */
  token?: string;
  /** Called after each script (progress output). */
  onScript?: (report: ScriptReport) => void;
}

/** A script that cannot be read or parsed is a failed script, not a crash of the run. */
function unreadable(file: ScriptFile, err: unknown): ScriptResult {
  return {
    name: file.relativePath,
    passed: false,
    setupFailure: `cannot load: ${(err as Error).message}`,
    tests: [],
    teardownProblems: [],
  };
}

/** Runs every TestScript under `dirs`, one after another (scripts own their data, but order keeps runs reproducible). */
export async function runSuites(options: RunSuitesOptions): Promise<SuiteReport> {
  const started = Date.now();
  const base = options.base.replace(/\/+$/, '');
  const plain = options.client ?? fetchClient;
  const client = options.token ? withBearerToken(plain, options.token, base) : plain;
  const scripts: ScriptReport[] = [];
  for (const dir of options.dirs) {
    for (const file of discoverScripts(dir)) {
      let result: ScriptResult;
      try {
        const script = parseTestScript(JSON.parse(readFileSync(file.path, 'utf8')));
        result = await runScript(script, { base, client, path: file.path });
      } catch (err) {
        result = unreadable(file, err);
      }
      const report = { file, result };
      scripts.push(report);
      options.onScript?.(report);
    }
  }
  const passed = scripts.filter((s) => s.result.passed).length;
  return {
    base,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    scripts,
    passed,
    failed: scripts.length - passed,
  };
}
