import type { Database, Repository } from '@hospitium/db';
import { type Resource, serverError } from '@hospitium/fhir';
import type { AuditOptions } from './types.js';

interface Pending {
  event: Resource;
  done: (err?: unknown) => void;
}

/**
 * Writes AuditEvents. Events of a change go into the change's own transaction (`writeIn`).
 * The others (reads, searches, failures, sign-ins) are queued and written by group commit
 * (`record`): whatever is queued while one batch is being written goes out together in the next
 * single insert, and each caller waits until its event is committed, so a request is never
 * answered before its AuditEvent is durable and a crash loses nothing that was answered.
 */
export class AuditRecorder {
  private queue: Pending[] = [];
  private flushing = false;
  readonly auditReads: boolean;
  private readonly maxBatch: number;

  constructor(
    /** The repository on the database itself (never one bound to a request's transaction). */
    readonly repository: Repository,
    /** The database under it, for the who-viewed report; absent where there is none. */
    readonly database: Database | undefined,
    /** The server's FHIR base URL, named as the observer of every event. */
    readonly observer: string,
    options: AuditOptions = {},
  ) {
    this.auditReads = options.reads ?? true;
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Queues an event; resolves once it is committed (rejects with a 500 if it cannot be). */
  record(event: Resource): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ event, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.flushing) {
        this.flushing = true;
        void this.flush();
      }
    });
  }

  /** Writes events through a repository bound to the caller's transaction. */
  async writeIn(repository: Repository, events: Resource[]): Promise<void> {
    if (events.length > 0) await repository.createResources(events);
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          await this.repository.createResources(batch.map((p) => p.event));
          for (const p of batch) p.done();
        } catch (err) {
          const failure = serverError(err);
          for (const p of batch) p.done(failure);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
