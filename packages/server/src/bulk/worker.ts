import { randomUUID } from 'node:crypto';
import type { Database, Repository } from '@hospitium/db';
import { isOperationOutcomeError, operationOutcome } from '@hospitium/fhir';
import type { FhirLogger } from '../fhir/types.js';
import type { ExportJobStore } from './job-store.js';
import { runJob } from './run-job.js';
import { isMissing } from './scope.js';
import type { BulkExportOptions, ExportJob } from './types.js';

/** Expired jobs are swept at most this often. */
const CLEANUP_INTERVAL_MS = 60_000;

/**
 * The background export worker of one server process: claims queued (or abandoned) jobs one
 * at a time and runs them; idle, it sleeps until woken by a kick-off in this process or until
 * the poll interval passes (jobs queued by other processes). `stop()` lets the current page
 * finish, hands the job back to the queue and returns; the next start resumes it.
 */
export class ExportWorker {
  private readonly token = randomUUID();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  /** Set by wake() while busy, so a job queued between a claim and the sleep is not missed. */
  private woken = false;
  private lastCleanup = 0;

  constructor(
    private readonly db: Database,
    private readonly repository: Repository,
    private readonly store: ExportJobStore,
    private readonly options: BulkExportOptions,
    private readonly logger: FhirLogger,
  ) {}

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Wakes an idle worker (a job was just queued). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    // Embedded PGlite is opened by one process only: a job left running was this database's
    // previous process, which is gone, so it is resumed at once rather than after the lease.
    let reclaimAll = this.db.kind === 'pglite';
    while (!this.stopping) {
      this.woken = false;
      let job: ExportJob | undefined;
      try {
        job = await this.store.claim(this.token, this.options.leaseMs, reclaimAll);
        reclaimAll = false;
        if (job) await this.runOne(job);
        else await this.cleanup();
      } catch (err) {
        this.logger.error({ err }, 'bulk export worker: could not claim or sweep jobs');
      }
      if (!job && !this.stopping) await this.sleep(this.options.pollIntervalMs);
    }
  }

  private async runOne(job: ExportJob): Promise<void> {
    try {
      const outcome = await runJob(job, {
        db: this.db,
        repository: this.repository,
        store: this.store,
        options: this.options,
        token: this.token,
        stopping: () => this.stopping,
      });
      if (outcome === 'paused') await this.store.release(job.id, this.token);
      this.logger.info({ jobId: job.id, outcome }, 'bulk export job');
    } catch (err) {
      this.logger.error({ err, jobId: job.id }, 'bulk export job failed');
      const outcome = isOperationOutcomeError(err)
        ? err.outcome
        : operationOutcome([
            { severity: 'error', code: 'exception', details: { text: 'The export failed' } },
          ]);
      // A deleted Group will not come back on a retry.
      if (isMissing(err)) await this.store.failNow(job.id, this.token, outcome);
      else await this.store.fail(job.id, this.token, outcome, this.options.maxAttempts);
    }
  }

  private async cleanup(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < CLEANUP_INTERVAL_MS) return;
    this.lastCleanup = now;
    const removed = await this.store.deleteExpired();
    if (removed > 0) this.logger.info({ removed }, 'bulk export: expired jobs deleted');
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }
}
