#!/usr/bin/env node
// The benchmark harness: `npm run bench -- [--quick] [--patients 1000,4000] [--modes pglite,postgres]
// [--database-url URL] [--json FILE] [--duration S] [--cpu-prof DIR] [--explain N] [--hl7-messages N]`.
// Starts the real server for each database and population size, drives it over HTTP on loopback
// and prints one table (stdout); progress goes to stderr. Method: docs/performance.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Harvest } from './data/harvest.mjs';
import { openPopulation } from './data/population.mjs';
import { seededRandom } from './data/random.mjs';
import { FhirClient } from './load/fhir-client.mjs';
import { searchTable, summaryTable } from './report.mjs';
import { bootstrapClient, openAuthSession } from './server/auth.mjs';
import { startServer } from './server/process.mjs';
import { withScratchDatabase } from './server/scratch-database.mjs';
import { measureCopyLimit, measureCopyLimitPglite } from './workloads/copy-limit.mjs';
import { loadWorkingSet, runCrud } from './workloads/crud.mjs';
import { explainSearches } from './workloads/explain.mjs';
import { runHl7 } from './workloads/hl7.mjs';
import { runIngest } from './workloads/ingest.mjs';
import { findQueriesFile, loadShapes, runSearch } from './workloads/search.mjs';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    patients: { type: 'string' },
    modes: { type: 'string', default: 'pglite,postgres' },
    'database-url': { type: 'string' },
    json: { type: 'string' },
    duration: { type: 'string' },
    'crud-clients': { type: 'string', default: '16,64' },
    'search-clients': { type: 'string', default: '16' },
    'ingest-clients': { type: 'string', default: '4' },
    source: { type: 'string', default: 'auto' },
    seed: { type: 'string', default: 'bench' },
    'cpu-prof': { type: 'string' },
    explain: { type: 'string' },
    'server-log-level': { type: 'string', default: 'warn' },
    'hl7-messages': { type: 'string' },
  },
});

const list = (s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const positive = (name, s) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive whole number, got "${s}"`);
  return n;
};
function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const modes = list(values.modes);
for (const m of modes) if (m !== 'pglite' && m !== 'postgres') fail(`unknown mode "${m}" (pglite, postgres)`);
if (!['auto', 'generator', 'corpus'].includes(values.source))
  fail('--source must be auto, generator or corpus');
const patientCounts = list(values.patients ?? (values.quick ? '200' : '1000,4000')).map((p) =>
  positive('patients', p),
);
const duration = positive('duration', values.duration ?? (values.quick ? '8' : '30'));
const crudClients = list(values['crud-clients']).map((c) => positive('crud-clients', c));
const searchClients = positive('search-clients', values['search-clients']);
const ingestClients = positive('ingest-clients', values['ingest-clients']);
const explainCount = values.explain === undefined ? 0 : positive('explain', values.explain);
// HL7 v2 over MLLP, once per mode after the FHIR runs; 0 leaves it out.
const hl7Messages =
  values['hl7-messages'] === '0'
    ? 0
    : positive('hl7-messages', values['hl7-messages'] ?? (values.quick ? '1000' : '4000'));
const databaseUrl =
  values['database-url'] ??
  process.env.HOSPITIUM_BENCH_DATABASE_URL ??
  process.env.HOSPITIUM_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const queriesFile = findQueriesFile();
if (!queriesFile)
  fail('the peer query shapes (peer-suites/fhir-server-compare/config/queries.yaml) were not found');
const { shapes, skipped } = loadShapes(queriesFile);
const log = (line) => process.stderr.write(`bench: ${line}\n`);

/** One run: a fresh database of `mode`, a fresh server, the population, every workload. */
async function runOne(mode, patients, where) {
  const random = seededRandom(`${values.seed}:${mode}:${patients}`);
  // The machine may be shared: the load average before and after says how quiet it was.
  const loadBefore = loadavg()[0];
  const population = await openPopulation({ source: values.source, patients, seed: values.seed });
  const client = bootstrapClient();
  const cpuProfDir = values['cpu-prof'] ? resolve(values['cpu-prof'], `${mode}-${patients}`) : undefined;
  if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });
  log(`${mode}, ${population.patients} patients from ${population.source}: starting the server`);
  const server = await startServer({
    ...where,
    cpuProfDir,
    env: client.env,
    logLevel: values['server-log-level'],
  });
  let http;
  try {
    const auth = await openAuthSession(server.origin, client);
    log(auth.mode === 'on' ? `auth: on (token from ${auth.tokenEndpoint})` : `auth: off (${auth.reason})`);
    http = new FhirClient(server.origin, auth, Math.max(ingestClients, searchClients, ...crudClients));
    const harvest = new Harvest(random);

    const ingest = await runIngest({ client: http, population, concurrency: ingestClients, harvest, log });
    log(`ingest: ${Math.round(ingest.resourcesPerSec)} resources/s, ${ingest.errors} errors`);

    const workingSet = await loadWorkingSet({ client: http, harvest });
    const atClients = [];
    for (const clients of crudClients) {
      const r = await runCrud({ client: http, workingSet, clients, seconds: duration, random, harvest });
      log(
        `CRUD at ${clients} clients: ${Math.round(r.rps)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, ${r.errors} errors`,
      );
      atClients.push(r);
    }

    const search = await runSearch({
      client: http,
      shapes,
      pools: harvest.pools(),
      clients: searchClients,
      seconds: duration,
      random,
      log,
    });
    log(
      `search: ${Math.round(search.rps)} req/s, p50 ${search.p50Ms.toFixed(2)} ms, ${search.errors} errors`,
    );

    let explain;
    if (explainCount > 0 && mode === 'postgres') {
      const pools = harvest.pools();
      const { expandShape } = await import('./search/shapes.mjs');
      const slowest = [...search.shapes].sort((a, b) => b.p50Ms - a.p50Ms).slice(0, explainCount);
      const requests = slowest.map((s) => ({
        name: s.name,
        path: expandShape(
          shapes.find((x) => x.name === s.name),
          pools,
          random,
        ).path,
      }));
      log(`EXPLAIN (ANALYZE, BUFFERS) of the ${requests.length} slowest shapes`);
      explain = await explainSearches(where.databaseUrl, requests);
    }
    await http.close();
    http = undefined;
    await server.stop();

    log('COPY limit: copying the same rows into empty tables');
    const copyLimit =
      mode === 'postgres'
        ? await measureCopyLimit(where.databaseUrl)
        : await measureCopyLimitPglite(where.dataDir);
    const [headline] = atClients;
    return {
      dbMode: mode,
      patients: population.patients,
      source: population.source,
      auth: auth.mode,
      resourceCounts: harvest.counts(),
      ingest,
      crud: {
        clients: headline.clients,
        rps: headline.rps,
        p50Ms: headline.p50Ms,
        p99Ms: headline.p99Ms,
        errors: headline.errors,
        atClients,
      },
      search,
      copyLimit,
      ratios: { ingestVsCopy: ingest.resourcesPerSec / copyLimit.resourcesPerSec },
      loadAverage: { before: loadBefore, after: loadavg()[0] },
      ...(cpuProfDir ? { cpuProfile: cpuProfDir } : {}),
      ...(explain ? { explain } : {}),
    };
  } finally {
    if (http) await http.close();
    await server.stop();
  }
}

/** The JSON report, rewritten after every run so that a long run stopped midway keeps what it measured. */
function writeReport() {
  if (!values.json) return;
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    settings: { quick: values.quick, duration, crudClients, searchClients, ingestClients, seed: values.seed },
    queriesSkipped: skipped,
    results,
    hl7: hl7Results,
  };
  writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
}

const started = Date.now();
const results = [];
const hl7Results = [];
for (const patients of patientCounts) {
  for (const mode of modes) {
    if (mode === 'postgres') {
      results.push(
        await withScratchDatabase(databaseUrl, (url) => runOne(mode, patients, { databaseUrl: url })),
      );
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'hospitium-bench-'));
      try {
        results.push(await runOne(mode, patients, { dataDir }));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    writeReport();
  }
}

if (hl7Messages > 0) {
  for (const mode of modes) {
    log(`HL7 v2: ${hl7Messages} ADT A01/A08 messages over MLLP on ${mode}`);
    const r = await runHl7({ mode, databaseUrl, messages: hl7Messages });
    log(
      `HL7 v2: ${r.messagesPerSecond} messages/s, ACK p50 ${r.ackMs.p50} ms, ${r.notAccepted} not accepted`,
    );
    hl7Results.push(r);
    writeReport();
  }
}

process.stdout.write(`\n${summaryTable(results)}`);
for (const r of hl7Results) {
  const cpu = r.cpuMsPerMessage ? `, ${r.cpuMsPerMessage.machine} ms of machine CPU per message` : '';
  process.stdout.write(
    `\nHL7 v2 over MLLP, ${r.database}: ${r.messages} messages from ${r.connections} peers, ${r.messagesPerSecond} messages/s, ACK p50 ${r.ackMs.p50} ms, p99 ${r.ackMs.p99} ms${cpu}, ${r.notAccepted} not accepted\n`,
  );
}
for (const r of results) {
  process.stdout.write(
    `\nsearch shapes, ${r.dbMode}, ${r.patients} patients (${r.search.clients} clients):\n`,
  );
  process.stdout.write(searchTable(r));
}
if (skipped.length) {
  process.stdout.write(
    `\nleft out as the peer suite leaves them out of its load test: ${skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}\n`,
  );
}
for (const r of results) {
  for (const e of r.explain ?? []) {
    process.stdout.write(
      `\nEXPLAIN (ANALYZE, BUFFERS) — ${r.dbMode} ${r.patients}: ${e.name}  GET /fhir/${e.path}\n`,
    );
    for (const s of e.statements)
      process.stdout.write(`${s.sql}\n  params ${JSON.stringify(s.params)}\n${s.plan}\n`);
  }
}
process.stdout.write(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

if (values.json) log(`wrote ${values.json}`);
