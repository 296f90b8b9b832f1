#!/usr/bin/env node
// `node bench/crud-profile.mjs [--patients N] [--seconds S] [--clients C] [--database-url URL] [--cpu-prof DIR]`:
// the CRUD mix alone against a freshly loaded small population, for profiling the per-request
// path without ingest and search in the same profile. Prints req/s, p50 and p99.
import { parseArgs } from 'node:util';
import { Harvest } from './data/harvest.mjs';
import { openPopulation } from './data/population.mjs';
import { seededRandom } from './data/random.mjs';
import { FhirClient } from './load/fhir-client.mjs';
import { bootstrapClient, openAuthSession } from './server/auth.mjs';
import { startServer } from './server/process.mjs';
import { withScratchDatabase } from './server/scratch-database.mjs';
import { loadWorkingSet, runCrud } from './workloads/crud.mjs';
import { runIngest } from './workloads/ingest.mjs';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '20' },
    clients: { type: 'string', default: '16' },
    'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'cpu-prof': { type: 'string' },
  },
});
const log = (line) => process.stderr.write(`crud-profile: ${line}\n`);
await withScratchDatabase(values['database-url'], async (databaseUrl) => {
  const random = seededRandom('crud-profile');
  const population = await openPopulation({
    source: 'generator',
    patients: Number(values.patients),
    seed: 'bench',
  });
  const client = bootstrapClient();
  const server = await startServer({ databaseUrl, cpuProfDir: values['cpu-prof'], env: client.env });
  try {
    const auth = await openAuthSession(server.origin, client);
    const http = new FhirClient(server.origin, auth, Number(values.clients));
    const harvest = new Harvest(random);
    const ingest = await runIngest({ client: http, population, concurrency: 4, harvest, log });
    log(`ingest ${Math.round(ingest.resourcesPerSec)} resources/s`);
    const workingSet = await loadWorkingSet({ client: http, harvest });
    const r = await runCrud({
      client: http,
      workingSet,
      clients: Number(values.clients),
      seconds: Number(values.seconds),
      random,
      harvest,
    });
    log(
      `CRUD ${Math.round(r.rps)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, ${r.errors} errors`,
    );
    for (const [op, s] of Object.entries(r.atClients?.[0]?.byOp ?? r.byOp ?? {}))
      log(`  ${op}: ${JSON.stringify(s)}`);
    await http.close();
  } finally {
    await server.stop();
  }
});
