import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const mainJs = join(repoRoot, 'packages', 'cli', 'dist', 'main.js');

/** A free TCP port on the loopback interface. */
export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts the real server (`hospitium start`) as a child process on a free loopback port and waits
 * until `/readyz` answers 200. `dataDir` (embedded) or `databaseUrl` (PostgreSQL server) says
 * where the data lives; `cpuProfDir` runs it under `node --cpu-prof`. The server's own output is
 * kept (last 64 KB) so a failed start can say why.
 */
export async function startServer({ dataDir, databaseUrl, cpuProfDir, env = {}, logLevel = 'warn' }) {
  const port = await freePort();
  const args = [
    ...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []),
    mainJs,
    'start',
    '--port',
    String(port),
    '--no-demo',
    '--log-level',
    logLevel,
    ...(databaseUrl ? ['--database-url', databaseUrl] : ['--data', dataDir]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, HOSPITIUM_DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolveExit) =>
    child.once('exit', (code, signal) => resolveExit({ code, signal })),
  );
  let exitedEarly;
  exited.then((e) => {
    exitedEarly = e;
  });

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exitedEarly) {
      throw new Error(`the server exited before it was ready (${JSON.stringify(exitedEarly)}):\n${output}`);
    }
    try {
      const res = await fetch(`${origin}/readyz`);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the server was not ready within 180 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    origin,
    pid: child.pid,
    output: () => output,
    /** SIGTERM, then wait: the server drains, closes the database and (with --cpu-prof) writes its profile. */
    async stop() {
      if (!exitedEarly) child.kill('SIGTERM');
      const result = await exited;
      if (result.code !== 0 && result.signal === null) {
        process.stderr.write(`bench: the server exited with code ${result.code}:\n${output.slice(-2000)}\n`);
      }
      return result;
    },
  };
}
