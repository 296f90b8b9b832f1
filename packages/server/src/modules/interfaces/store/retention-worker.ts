import type { Database } from '@hospitium/db';
import type { FhirLogger } from '../../../fhir/types.js';
import { type PurgedCounts, purgeExpired } from './retention.js';

export interface RetentionOptions {
  db: Database;
  logger: FhirLogger;
  /** Keep finished messages this many days; 0 keeps them forever (default 90). */
  days: number;
  /** How often a purge runs (default hourly; the first one a minute after start). */
  intervalMs?: number;
  /** Rows deleted per statement (default 500). */
  batchSize?: number;
  /** Pause between batches so a large purge never starves message processing (default 50 ms). */
  pauseMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps the message store and the outbox from growing forever: on a timer, deletes processed
 * and acknowledged messages and delivered outbox rows older than `days`, in small batches with a
 * pause between them, until none are left. Errors and dead letters stay until an analyst replays
 * or deletes them. A purged message's control id is forgotten: a resend after the retention
 * period would be applied again (peers resend within minutes, not months).
 */
export class RetentionWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<PurgedCounts>;
  private stopped = true;

  constructor(private readonly options: RetentionOptions) {}

  /** Schedules purges; does nothing when retention is 0 (keep forever). */
  start(): void {
    if (this.options.days <= 0 || !this.stopped) return;
    this.stopped = false;
    const interval = this.options.intervalMs ?? 60 * 60 * 1000;
    const schedule = (delay: number) => {
      this.timer = setTimeout(() => {
        this.running = this.purge()
          .catch((err) => {
            this.options.logger.error({ err }, 'HL7 message retention purge failed');
            return { messages: 0, outbox: 0 };
          })
          .finally(() => {
            this.running = undefined;
            if (!this.stopped) schedule(interval);
          });
      }, delay);
      this.timer.unref();
    };
    schedule(Math.min(interval, 60_000));
  }

  /** Stops the timer and waits for a purge in progress to finish its batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Deletes everything past retention now, batch after batch, and returns how much went. Stops
   * early when the worker is stopped.
   */
  async purge(now: Date = new Date()): Promise<PurgedCounts> {
    const total = { messages: 0, outbox: 0 };
    if (this.options.days <= 0) return total;
    const cutoff = new Date(now.getTime() - this.options.days * DAY_MS);
    const limit = this.options.batchSize ?? 500;
    for (;;) {
      const batch = await purgeExpired(this.options.db, cutoff, limit);
      total.messages += batch.messages;
      total.outbox += batch.outbox;
      if ((batch.messages < limit && batch.outbox < limit) || this.stoppedDuringRun()) break;
      await new Promise((r) => setTimeout(r, this.options.pauseMs ?? 50));
    }
    if (total.messages || total.outbox)
      this.options.logger.info(
        { ...total, days: this.options.days },
        'HL7 message retention: purged finished messages and delivered outbox rows',
      );
    return total;
  }

  /** True when `stop()` was called on a started worker while a purge ran. */
  private stoppedDuringRun(): boolean {
    return this.stopped && this.timer !== undefined;
  }
}
