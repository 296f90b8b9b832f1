import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepository, type Database, migrate, openDatabase, type Repository } from '@hospitium/db';
import { afterEach, describe, expect, it } from 'vitest';
import { download, idsByType, kickOff, type Manifest, poll } from '../testing/bulk-export-client.js';
import { testObservation, testPatient } from '../testing/fixtures.js';
import { startTestApp, type TestServer, testBaseUrl } from '../testing/test-server.js';
import { ExportJobStore } from './job-store.js';
import { runJob } from './run-job.js';
import { createBulkExportService } from './service.js';
import { type BulkExportOptions, defaultBulkExportOptions, type ExportRequest } from './types.js';

/** A database that survives close(): reopen it as a restarted server would. */
interface LastingDatabase {
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

/** PGlite in a temporary data directory, and a PostgreSQL schema when a server is configured. */
function lastingDatabases(): { name: string; create: () => Promise<LastingDatabase> }[] {
  const engines = [
    {
      name: 'pglite',
      async create(): Promise<LastingDatabase> {
        const dataDir = mkdtempSync(join(tmpdir(), 'hospitium-bulk-'));
        return {
          open: () => openDatabase({ dataDir }),
          dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
        };
      },
    },
  ];
  const url = process.env.HOSPITIUM_TEST_DATABASE_URL;
  if (url) {
    engines.push({
      name: 'postgres',
      async create(): Promise<LastingDatabase> {
        const schema = `bulk_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
        const admin = async (sql: string) => {
          const db = await openDatabase({ url, poolSize: 1 });
          await db.query(sql).finally(() => db.close());
        };
        await admin(`CREATE SCHEMA ${schema}`);
        return {
          open: () => openDatabase({ url, schema, poolSize: 4 }),
          dispose: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
        };
      },
    });
  }
  return engines;
}

/** Small pages and files so a few resources make several of each; a short lease for PostgreSQL. */
const options: Partial<BulkExportOptions> = {
  pageSize: 2,
  maxFileResources: 3,
  pollIntervalMs: 50,
  leaseMs: 300,
};

/** The client the test server's default token belongs to (it polls the queued jobs). */
const testRequester = { clientId: 'test-client', subject: 'test-client' };

async function startServer(db: Database): Promise<TestServer> {
  const repository = createRepository(db);
  return startTestApp(
    { repository, database: db, config: { baseUrl: testBaseUrl }, bulkExport: options },
    () => db.close(),
  );
}

async function seed(
  repository: Repository,
  observations: number,
): Promise<{ patients: string[]; observations: string[] }> {
  const patients = await repository.createResources([testPatient(), testPatient(), testPatient()]);
  const obs = await repository.createResources(
    Array.from({ length: observations }, (_, i) => testObservation(`Patient/${patients[i % 3].id}`)),
  );
  return {
    patients: patients.map((p) => String(p.id)).sort(),
    observations: obs.map((o) => String(o.id)).sort(),
  };
}

/** Queues a job without any worker running (as if the server stopped right after the kick-off). */
async function queueOnly(db: Database, request: ExportRequest): Promise<string> {
  const service = createBulkExportService({
    db,
    repository: createRepository(db),
    baseUrl: testBaseUrl,
    logger: { error() {}, warn() {}, info() {} },
    options,
  });
  const statusUrl = await service.queue(`${testBaseUrl}/$export`, { ...request, requestedBy: testRequester });
  const status = await service.status(statusUrl.split('/').pop() ?? '', testRequester);
  expect(status.status).toBe(202);
  expect(status.headers['x-progress']).toBe('queued');
  return `/fhir${statusUrl.slice(testBaseUrl.length)}`;
}

const systemRequest = (types: string[]): ExportRequest => ({
  level: 'system',
  types,
  typeFilters: {},
  outputFormat: 'application/fhir+ndjson',
});

describe.each(lastingDatabases())('Bulk export across restarts on $name', ({ create }) => {
  let lasting: LastingDatabase | undefined;
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await lasting?.dispose();
    lasting = undefined;
  });

  it('a job queued before the server stopped runs when it starts again; files split by count', async () => {
    lasting = await create();
    const first = await lasting.open();
    await migrate(first);
    const seeded = await seed(createRepository(first), 7);
    const statusPath = await queueOnly(first, systemRequest(['Observation', 'Patient']));
    await first.close();

    server = await startServer(await lasting.open());
    const done = await poll(server, statusPath);
    expect(done.status).toBe(200);
    const manifest = done.body as unknown as Manifest;
    // Pages of 2 and files of at most 3 before a page: 7 Observations → 4 + 3, 3 Patients → 3.
    expect(manifest.output.map((f) => [f.type, f.count])).toEqual([
      ['Observation', 4],
      ['Observation', 3],
      ['Patient', 3],
    ]);
    expect(idsByType(await download(server, manifest))).toEqual({
      Observation: seeded.observations,
      Patient: seeded.patients,
    });
  });

  it('a job whose process died mid-way resumes from its last page, without duplicates', async () => {
    lasting = await create();
    const first = await lasting.open();
    await migrate(first);
    const seeded = await seed(createRepository(first), 9);
    const statusPath = await queueOnly(first, systemRequest(['Observation', 'Patient']));
    const store = new ExportJobStore(first);
    const job = await store.claim('dying-worker', 60_000);
    expect(job).toBeDefined();
    let pages = 0;
    const outcome = await runJob(job!, {
      db: first,
      repository: createRepository(first),
      store,
      options: { ...defaultBulkExportOptions, ...options },
      token: 'dying-worker',
      stopping: () => pages++ >= 2,
    });
    expect(outcome).toBe('paused');
    const half = await first.query<{ state: string; exported: number }>(
      "SELECT state, (cursor->>'exported')::int AS exported FROM bulk_export_jobs",
    );
    expect(half.rows).toEqual([{ state: 'running', exported: 4 }]);
    await first.close(); // no release: the process "died" holding the job

    server = await startServer(await lasting.open());
    const done = await poll(server, statusPath);
    expect(done.status).toBe(200);
    const files = await download(server, done.body as unknown as Manifest);
    expect(files.get('Observation')).toHaveLength(9);
    expect(idsByType(files)).toEqual({ Observation: seeded.observations, Patient: seeded.patients });
  });

  it('closing the app hands its running job back; the next start finishes it', async () => {
    lasting = await create();
    const first = await lasting.open();
    await migrate(first);
    const seeded = await seed(createRepository(first), 40);
    const running = await startServer(first);
    const statusPath = await kickOff(running, '$export?_type=Observation');
    await running.close();
    const left = await (async () => {
      const db = await lasting.open();
      const rows = await db.query<{ state: string }>('SELECT state FROM bulk_export_jobs');
      await db.close();
      return rows.rows.map((r) => r.state);
    })();
    expect(left).toHaveLength(1);
    expect(left[0]).not.toBe('running');

    server = await startServer(await lasting.open());
    const done = await poll(server, statusPath);
    expect(done.status).toBe(200);
    expect(idsByType(await download(server, done.body as unknown as Manifest))).toEqual({
      Observation: seeded.observations,
    });
  });

  it('a job that cannot run (its Group is gone) fails with a 500 OperationOutcome; expired jobs are deleted', async () => {
    lasting = await create();
    const first = await lasting.open();
    await migrate(first);
    const statusPath = await queueOnly(first, {
      level: 'group',
      groupId: 'vanished',
      typeFilters: {},
      outputFormat: 'application/fhir+ndjson',
    });
    server = await startServer(first);
    const failed = await poll(server, statusPath);
    expect(failed.status).toBe(500);
    expect(failed.body?.resourceType).toBe('OperationOutcome');
    expect(failed.text).toMatch(/vanished/);

    await first.query("UPDATE bulk_export_jobs SET expires_at = now() - interval '1 second'");
    expect((await server.get(statusPath)).status).toBe(404);
    // The running worker sweeps expired jobs too, so either it or this call removes the job: the
    // count here is 0 or 1, and afterwards nothing is left either way.
    expect(await new ExportJobStore(first).deleteExpired()).toBeLessThanOrEqual(1);
    expect((await first.query('SELECT 1 FROM bulk_export_jobs')).rows).toHaveLength(0);
    expect(await new ExportJobStore(first).deleteExpired()).toBe(0);
  });
});
