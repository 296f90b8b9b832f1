#!/usr/bin/env node
// `node bench/profile-summary.mjs DIR|FILE.cpuprofile [--top N]`: where a server spent its CPU
// under the benchmark (`npm run bench -- --cpu-prof DIR`): self time per function and per
// package/file, as shares of all samples (idle excluded).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
if (positionals.length === 0) {
  process.stderr.write('usage: node bench/profile-summary.mjs DIR|FILE.cpuprofile [--top N]\n');
  process.exit(2);
}
const repoRoot = resolve(import.meta.dirname, '..');
const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(p, f))
    : [p],
);

/** Where a function lives, short: a workspace file relative to the checkout, or node_modules/<pkg>. */
function place(url) {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 14).split('/');
    return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith('node:')) return path;
  return relative(repoRoot, path);
}

const selfByFunction = new Map();
const selfByPlace = new Map();
let total = 0;
let idle = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const deltas = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const us = deltas[i + 1] ?? 0;
    const node = byId.get(id);
    const f = node.callFrame;
    if (f.functionName === '(idle)' || f.functionName === '(program)') {
      if (f.functionName === '(idle)') idle += us;
      else total += us;
      if (f.functionName === '(idle)') return;
    } else total += us;
    const where = place(f.url);
    const key = `${f.functionName || '(anonymous)'}  ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + us);
    selfByPlace.set(where, (selfByPlace.get(where) ?? 0) + us);
  });
}

const top = Number(values.top);
const show = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1e6).toFixed(2).padStart(7)} s  ${k}\n`,
    );
  }
};
process.stdout.write(
  `${files.length} profile(s): ${(total / 1e6).toFixed(1)} s on CPU, ${(idle / 1e6).toFixed(1)} s idle\n`,
);
show('self time by function', selfByFunction);
show('self time by file or package', selfByPlace);
