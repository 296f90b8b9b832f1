import type { Database } from '@hospitium/db';
import type { FhirLogger } from '../../../fhir/types.js';
import { bedBoardChannel } from './notify.js';

/** A connected board: called with each event's text (server-sent events framing included). */
export type BoardSubscriber = (text: string) => void;

/**
 * Fans the database's bed board notifications out to the open boards of this process: one
 * LISTEN per process (not per client, and no polling), each committed change forwarded to every
 * subscriber as a server-sent event `change` with the payload (`{"changes":[{type,id,beds}]}`).
 * A comment line every `heartbeatMs` keeps idle connections (and proxies) open; a subscriber
 * that goes away is removed, so nothing leaks.
 */
export class BedBoardHub {
  private readonly subscribers = new Set<BoardSubscriber>();
  private stopListening?: () => Promise<void>;
  private heartbeat?: NodeJS.Timeout;
  private sequence = 0;

  constructor(
    private readonly db: Database,
    private readonly logger: FhirLogger,
    private readonly heartbeatMs = 15_000,
  ) {}

  /** Starts listening on the database (idempotent). */
  async start(): Promise<void> {
    if (this.stopListening) return;
    this.stopListening = await this.db.listen(bedBoardChannel, (payload) => this.publish(payload));
    this.heartbeat = setInterval(() => this.broadcast(': keep-alive\n\n'), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Stops listening; subscribers are told to end (`end` is called on each by their owner). */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.().catch((err) => this.logger.warn({ err }, 'bed board: stopping LISTEN failed'));
  }

  /** Adds a board; returns the function that removes it. */
  subscribe(subscriber: BoardSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Boards connected now (tests check that disconnects leave none behind). */
  get size(): number {
    return this.subscribers.size;
  }

  private publish(payload: string): void {
    this.sequence++;
    this.broadcast(`id: ${this.sequence}\nevent: change\ndata: ${payload.replace(/\n/g, ' ')}\n\n`);
  }

  private broadcast(text: string): void {
    for (const subscriber of this.subscribers) {
      try {
        subscriber(text);
      } catch (err) {
        this.subscribers.delete(subscriber);
        this.logger.warn({ err }, 'bed board: a subscriber failed and was dropped');
      }
    }
  }
}
