#!/usr/bin/env node
// Benchmark harness (`npm run bench [-- --json FILE] [--database-url URL] [--modes pglite,postgres]`).
// Issue-2 workload: import the corpus Synthea transaction bundles through the product's import path
// on the embedded database and on a PostgreSQL server, beside a raw COPY of the same rows.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findCorpus } from './corpus.mjs';
import { runImportBench, warmUp } from './import-bench.mjs';

const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    'database-url': { type: 'string' },
    modes: { type: 'string', default: 'pglite,postgres' },
    concurrency: { type: 'string' },
    quick: { type: 'boolean' },
  },
});

const corpus = findCorpus();
if (!corpus) {
  process.stderr.write(
    'bench: the shared corpus was not found (HOSPITIUM_CORPUS or ../shared); nothing to import.\n',
  );
  process.exit(2);
}
const databaseUrl =
  values['database-url'] ??
  process.env.HOSPITIUM_BENCH_DATABASE_URL ??
  process.env.HOSPITIUM_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

process.stderr.write(
  `bench: warm-up (definitions, validator, index extractors) over ${warmUp(corpus)} resources\n`,
);
const results = [];
for (const mode of values.modes.split(',').map((m) => m.trim())) {
  if (mode !== 'pglite' && mode !== 'postgres') throw new Error(`unknown mode ${mode}`);
  const concurrency = values.concurrency ? Number(values.concurrency) : mode === 'postgres' ? 4 : 1;
  process.stderr.write(`bench: import on ${mode} (concurrency ${concurrency})…\n`);
  results.push(await runImportBench({ mode, corpus, databaseUrl, concurrency }));
}

const fmt = (n) => (n === undefined ? '—' : Math.round(n).toLocaleString('en-US'));
const rows = results.map((r) => [
  r.dbMode,
  fmt(r.ingest.resources),
  r.ingest.seconds.toFixed(2),
  fmt(r.ingest.resourcesPerSec),
  r.copyLimit ? fmt(r.copyLimit.resourcesPerSec) : '—',
  r.copyLimit ? fmt(r.copyLimit.rowsPerSec) : '—',
  r.ratios.ingestVsCopy === undefined ? '—' : r.ratios.ingestVsCopy.toFixed(3),
  String(r.ingest.errors),
]);
const header = [
  'database',
  'resources',
  'seconds',
  'resources/s',
  'COPY resources/s',
  'COPY rows/s',
  'ingest/COPY',
  'errors',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
process.stdout.write(
  `\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
);
const pglite = results.find((r) => r.dbMode === 'pglite');
const postgres = results.find((r) => r.dbMode === 'postgres');
if (pglite && postgres) {
  process.stdout.write(
    `\nembedded / server ingest ratio: ${(pglite.ingest.resourcesPerSec / postgres.ingest.resourcesPerSec).toFixed(3)}\n`,
  );
}

if (values.json) {
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    workload:
      'import of the corpus Synthea transaction bundles (30 patients + hospital and practitioner bundles)',
    results,
  };
  writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`bench: wrote ${values.json}\n`);
}
