import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { importFiles } from '@hospitium/cli';
import { createRepository, migrate, openDatabase } from '@hospitium/db';
import { extractIndexes, validateResource } from '@hospitium/fhir';
import { internalAccess, processBundle } from '@hospitium/server';
import pg from 'pg';
import { measureCopyLimit } from './copy-limit.mjs';
import { syntheaFiles } from './corpus.mjs';

const quietLogger = { error() {}, warn() {}, info() {} };

/** A fresh, empty database on the server for one run; dropped afterwards. */
async function withScratchDatabase(adminUrl, fn) {
  const name = `hospitium_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function importCorpus(db, corpus, concurrency) {
  await migrate(db);
  const ctx = {
    repository: createRepository(db),
    baseUrl: 'http://localhost:8080/fhir',
    logger: quietLogger,
    access: internalAccess,
  };
  const files = syntheaFiles(corpus);
  const summary = await importFiles(
    files,
    (bundle) => processBundle(bundle, ctx, { prefer: 'return=minimal' }),
    {
      concurrency,
    },
  );
  for (const e of summary.errors.slice(0, 5))
    process.stderr.write(`  error: ${e.file} ${e.where ?? ''} ${e.message}\n`);
  return {
    files: files.length,
    resources: summary.resources,
    seconds: summary.seconds,
    resourcesPerSec: Math.round(summary.resources / summary.seconds),
    errors: summary.errors.length,
    concurrency,
  };
}

/**
 * Loads the R4 definitions and compiles the validator and index extractors for every resource
 * type the corpus uses, so each measured run sees a warm process, as a running server does.
 */
export function warmUp(corpus) {
  let n = 0;
  for (const file of syntheaFiles(corpus)) {
    const raw = readFileSync(file);
    const bundle = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
    for (const entry of bundle.entry ?? []) {
      validateResource(entry.resource);
      extractIndexes(entry.resource);
      n++;
    }
  }
  return n;
}

/** One import run on a fresh database of the given mode; on PostgreSQL also the COPY limit. */
export async function runImportBench({ mode, corpus, databaseUrl, concurrency }) {
  if (mode === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'hospitium-bench-'));
    const db = await openDatabase({ dataDir: dir });
    try {
      const ingest = await importCorpus(db, corpus, concurrency);
      return { dbMode: 'pglite', patients: 30, ingest, ratios: {} };
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return withScratchDatabase(databaseUrl, async (url) => {
    const db = await openDatabase({ url });
    let ingest;
    try {
      ingest = await importCorpus(db, corpus, concurrency);
    } finally {
      await db.close();
    }
    const copyLimit = await measureCopyLimit(url);
    return {
      dbMode: 'postgres',
      patients: 30,
      ingest,
      copyLimit,
      ratios: { ingestVsCopy: ingest.resourcesPerSec / copyLimit.resourcesPerSec },
    };
  });
}
