#!/usr/bin/env node
// `Patient/$match` at scale: `node bench/match-bench.mjs [--patients 10000] [--queries 200]
// [--modes pglite,postgres] [--database-url URL]`. Loads N patients into a fresh database of the
// real server (child process, loopback HTTP), then times $match with what registrars type —
// typos, swapped given and family names, partial MRNs, day/month-swapped birth dates — one
// request at a time, and prints p50/p95/p99/max and how often the intended person came first.
// Run `npm run build` first. Method and figures: packages/server/src/modules/registration/README.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePopulation } from '@hospitium/seed';
import pg from 'pg';
import { candidateQuery } from '../packages/server/dist/modules/registration/match/candidates.js';
import { seededRandom } from './data/random.mjs';
import { describeFailure, FhirClient } from './load/fhir-client.mjs';
import { bootstrapClient, openAuthSession } from './server/auth.mjs';
import { startServer } from './server/process.mjs';
import { withScratchDatabase } from './server/scratch-database.mjs';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '200' },
    modes: { type: 'string', default: 'pglite,postgres' },
    'database-url': { type: 'string' },
  },
});
const patientCount = Number(values.patients);
const queryCount = Number(values.queries);
const modes = values.modes.split(',').filter(Boolean);
const adminUrl =
  values['database-url'] ??
  process.env.HOSPITIUM_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const mrnSystem = 'http://hospitium.org/fhir/sid/mrn';
const log = (s) => process.stderr.write(`${s}\n`);

/**
 * N patients with the generator's name, address and birth-date distributions: the demographics
 * of 1,000 generated people recombined (so common family names recur as in a real census), each
 * with its own MRN.
 */
function population(n) {
  const rnd = seededRandom('match-bench');
  const source = [];
  for (const bundle of generatePopulation({ patients: Math.min(n, 1000), seed: 'match-bench' }).patients()) {
    const p = bundle.entry.find((e) => e.resource.resourceType === 'Patient').resource;
    source.push(p);
  }
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = source[i % source.length];
    const b = rnd.pick(source);
    const name = a.name.find((x) => x.use === 'official') ?? a.name[0];
    const given = (b.gender === a.gender ? b : a).name[0].given ?? name.given;
    const year = Number(a.birthDate.slice(0, 4)) + rnd.int(9) - 4;
    out.push({
      resourceType: 'Patient',
      identifier: [{ system: mrnSystem, value: String(50_000_000 + i) }],
      name: [{ use: 'official', family: rnd.pick(source).name[0].family, given }],
      gender: a.gender,
      birthDate: `${year}${a.birthDate.slice(4)}`.replace(/-02-29$/, '-02-28'),
      address: b.address,
      telecom: a.telecom,
    });
  }
  return out;
}

/** What a registrar might type for `p`, and the kind of slip. */
function queryFor(p, rnd) {
  const family = p.name[0].family;
  const given = p.name[0].given[0];
  const swap = (w) => (w.length > 3 ? `${w[0]}${w[2]}${w[1]}${w.slice(3)}` : w);
  const [y, m, d] = p.birthDate.split('-');
  switch (rnd.int(5)) {
    case 0:
      return {
        kind: 'typo in family + birth date',
        patient: { name: [{ family: swap(family), given: [given] }], birthDate: p.birthDate },
      };
    case 1:
      return {
        kind: 'given and family swapped',
        patient: { name: [{ family: given, given: [family] }], birthDate: p.birthDate, gender: p.gender },
      };
    case 2:
      return { kind: 'partial MRN', patient: { identifier: [{ value: p.identifier[0].value.slice(0, 7) }] } };
    case 3:
      return {
        kind: 'day/month swapped + name',
        patient: {
          name: [{ family, given: [given] }],
          birthDate: d <= '12' ? `${y}-${d}-${m}` : p.birthDate,
        },
      };
    default:
      return {
        kind: 'registration (all fields)',
        patient: {
          name: p.name,
          birthDate: p.birthDate,
          gender: p.gender,
          address: p.address,
          telecom: p.telecom,
        },
      };
  }
}

const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/**
 * The PostgreSQL plan of the candidate query for one registration: printed so a reader can see
 * every branch is an index scan (no sequential scan of the index tables or of `resources`).
 */
async function explain(databaseUrl, patient) {
  const query = candidateQuery(patient);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const plan = await client.query(`EXPLAIN (ANALYZE, COSTS OFF) ${query.sql}`, query.params);
    const lines = plan.rows.map((r) => r['QUERY PLAN']);
    const seqScans = lines.filter((l) => /Seq Scan/.test(l));
    log(`postgres: candidate query plan (${lines.length} lines, ${seqScans.length} sequential scans):`);
    for (const l of lines) log(`  ${l}`);
    return seqScans.length;
  } finally {
    await client.end();
  }
}

async function run(mode, patients, start, databaseUrl) {
  const client = bootstrapClient();
  const server = await start(client.env);
  try {
    const auth = await openAuthSession(server.origin, client);
    const fhir = new FhirClient(server.origin, auth, 4);
    const loadStart = performance.now();
    for (let i = 0; i < patients.length; i += 500) {
      const bundle = {
        resourceType: 'Bundle',
        type: 'batch',
        entry: patients
          .slice(i, i + 500)
          .map((resource) => ({ resource, request: { method: 'POST', url: 'Patient' } })),
      };
      const res = await fhir.request('POST', '', { body: JSON.stringify(bundle) });
      if (res.status !== 200) throw new Error(`loading failed: ${res.status} ${describeFailure(res)}`);
    }
    log(
      `${mode}: ${patients.length} patients loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
    );
    if (databaseUrl) {
      const p = patients[0];
      const typed = {
        name: p.name,
        birthDate: p.birthDate,
        identifier: [{ value: p.identifier[0].value.slice(0, 7) }],
      };
      await explain(databaseUrl, { resourceType: 'Patient', ...typed });
    }
    const rnd = seededRandom(`queries-${mode}`);
    const times = [];
    let first = 0;
    let found = 0;
    for (let i = 0; i < queryCount + 20; i++) {
      const target = rnd.pick(patients);
      const q = queryFor(target, rnd);
      const body = JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'resource', resource: { resourceType: 'Patient', ...q.patient } },
          { name: 'count', valueInteger: 10 },
        ],
      });
      const res = await fhir.request('POST', 'Patient/$match', { body });
      if (res.status !== 200) throw new Error(`$match failed: ${res.status} ${describeFailure(res)}`);
      if (i < 20) continue; // warm-up
      times.push(res.ms);
      const mrns = (JSON.parse(res.text).entry ?? []).map((e) => e.resource.identifier?.[0]?.value);
      if (mrns[0] === target.identifier[0].value) first++;
      if (mrns.includes(target.identifier[0].value)) found++;
    }
    times.sort((a, b) => a - b);
    await fhir.close();
    return {
      mode,
      patients: patients.length,
      queries: times.length,
      p50: pct(times, 0.5),
      p95: pct(times, 0.95),
      p99: pct(times, 0.99),
      max: times.at(-1),
      first: first / times.length,
      inTop10: found / times.length,
    };
  } finally {
    await server.stop();
  }
}

const patients = population(patientCount);
const results = [];
for (const mode of modes) {
  if (mode === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'hospitium-match-bench-'));
    try {
      results.push(await run(mode, patients, (env) => startServer({ dataDir, env })));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  } else {
    results.push(
      await withScratchDatabase(adminUrl, (databaseUrl) =>
        run(mode, patients, (env) => startServer({ databaseUrl, env }), databaseUrl),
      ),
    );
  }
}
const f = (ms) => `${ms.toFixed(1)} ms`;
console.log(
  '| database | patients | $match calls | p50 | p95 | p99 | max | intended person first | in top 10 |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(
    `| ${r.mode} | ${r.patients} | ${r.queries} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.p99)} | ${f(r.max)} | ${(100 * r.first).toFixed(0)}% | ${(100 * r.inTop10).toFixed(0)}% |`,
  );
}
