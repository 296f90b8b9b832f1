import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm test` builds before it runs the tests). */
export const cliMain = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');

export function assertBuilt(): void {
  if (!existsSync(cliMain))
    throw new Error(`${cliMain} is missing: run "npm run build" first (npm test does)`);
}

export interface HospitiumProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Runs `hospitium ARGS…` as a child process, collecting stdout and stderr. */
export function runHospitium(args: string[], env: Record<string, string> = {}): HospitiumProcess {
  assertBuilt();
  const child = spawn(process.execPath, [cliMain, ...args], {
    env: { ...process.env, HOSPITIUM_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return { child, output: () => out, exited };
}

/**
 * Starts `hospitium start` on free HTTP and MLLP ports and waits until it is up; returns the
 * base URL and the MLLP port of the first channel (from the startup banner).
 */
export async function startHospitium(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  const proc = runHospitium(['start', '--port', '0', '--mllp-port', '0', ...args], env);
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc.exited.then((c) => {
    exitCode = c;
  });
  while (Date.now() < deadline) {
    const match = /web app\s+(http:\/\/\S+?)\/\s/.exec(proc.output());
    const mllp = /HL7 v2 MLLP\s+\S+:(\d+)/.exec(proc.output());
    if (match && mllp) return { ...proc, url: match[1]!, mllpPort: Number(mllp[1]) };
    if (exitCode !== undefined) throw new Error(`hospitium start exited with ${exitCode}:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.child.kill('SIGKILL');
  throw new Error(`hospitium start did not come up in ${timeoutMs} ms:\n${proc.output()}`);
}

/** The backend client every started test server creates (`HOSPITIUM_BOOTSTRAP_CLIENT`). */
export const testClient = { id: 'ops-backend', secret: 'ops-backend-secret-0123456789' };
export const testClientEnv = { HOSPITIUM_BOOTSTRAP_CLIENT: `${testClient.id}:${testClient.secret}` };

/** A `system/*.*` access token from a started server: SMART discovery, then client_credentials. */
export async function backendToken(url: string): Promise<string> {
  const config = (await (await fetch(`${url}/fhir/.well-known/smart-configuration`)).json()) as {
    token_endpoint: string;
  };
  const res = await fetch(config.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${testClient.id}:${testClient.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.*' }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}
