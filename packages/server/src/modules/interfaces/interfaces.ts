import type { ChangeListener, Database } from '@hospitium/db';
import { createMllpServer, type MllpServer } from '@hospitium/hl7v2';
import type { FhirLogger } from '../../fhir/types.js';
import { combineListeners } from '../adt/live/notify.js';
import { defaultChannel, type InboundChannel } from './channels/channel.js';
import type { OutboundChannel } from './channels/outbound-channel.js';
import { InterfaceEngine } from './engine/engine.js';
import { outboxListener } from './outbound/outbox.js';
import { OutboundWorker } from './outbound/worker.js';
import { RetentionWorker } from './store/retention-worker.js';

export interface InterfacesOptions {
  db: Database;
  /** Public FHIR base (for fullUrls in processed bundles). */
  baseUrl: string;
  logger: FhirLogger;
  /** Inbound channels; default one channel on `mllpPort` taking every supported message. */
  channels?: InboundChannel[];
  mllpPort?: number;
  /** Outbound channels (destinations); none → no outbox listener, no worker. */
  outbound?: OutboundChannel[];
  /** How often the outbound worker looks for due events besides being woken (default 1000 ms). */
  outboundPollIntervalMs?: number;
  /** Days to keep processed/acknowledged messages and delivered outbox rows; 0 = forever (default 90). */
  retentionDays?: number;
  /** How often the retention purge runs (default hourly). */
  retentionIntervalMs?: number;
  /**
   * Another change listener every writing repository needs besides the outbox (the live bed
   * board's NOTIFY): run after the outbox's, in the same transaction.
   */
  onChange?: ChangeListener;
}

/** A channel that is listening, for the startup banner. */
export interface ListeningChannel {
  name: string;
  port: number;
}

/**
 * The HL7 v2 interface engine and its MLLP listeners, one per inbound channel. The HTTP API for
 * the message store is bound separately (`registerHl7Routes`) so it can sit behind auth.
 */
export class Interfaces {
  readonly engine: InterfaceEngine;
  readonly channels: InboundChannel[];
  readonly outboundChannels: OutboundChannel[];
  /** Delivers the outbox; undefined without outbound channels. */
  readonly outbound?: OutboundWorker;
  /**
   * The repository change listener that queues outbound events in the writing transaction: give
   * it to every repository that writes (`createRepository(db, interfaces.repositoryOptions)`).
   */
  readonly changeListener?: ChangeListener;
  /** Purges finished messages past the retention period. */
  readonly retention: RetentionWorker;
  private servers: MllpServer[] = [];

  constructor(private readonly options: InterfacesOptions) {
    this.outboundChannels = options.outbound ?? [];
    if (this.outboundChannels.length) {
      const worker = new OutboundWorker({
        db: options.db,
        channels: this.outboundChannels,
        logger: options.logger,
        pollIntervalMs: options.outboundPollIntervalMs,
      });
      this.outbound = worker;
      // Woken while the writing transaction has not committed yet: look again a little later.
      this.changeListener = outboxListener(this.outboundChannels, () => {
        setTimeout(() => worker.wake(), 20).unref();
        setTimeout(() => worker.wake(), 250).unref();
      });
    }
    this.changeListener = combineListeners(this.changeListener, options.onChange);
    this.engine = new InterfaceEngine({ ...options, onChange: this.changeListener });
    this.channels = options.channels ?? [defaultChannel(options.mllpPort ?? 2575)];
    this.retention = new RetentionWorker({
      db: options.db,
      logger: options.logger,
      days: options.retentionDays ?? 90,
      intervalMs: options.retentionIntervalMs,
    });
  }

  /** Options for repositories that write: the outbox listener when outbound channels exist. */
  get repositoryOptions(): { onChange?: ChangeListener } {
    return this.changeListener ? { onChange: this.changeListener } : {};
  }

  /** The channel a stored message came in on (the first channel when it is no longer configured). */
  channel(name: string): InboundChannel {
    return this.channels.find((c) => c.name === name) ?? this.channels[0];
  }

  /** Starts one MLLP listener per channel; resolves with the bound ports. */
  async listen(host?: string): Promise<ListeningChannel[]> {
    const listening: ListeningChannel[] = [];
    try {
      for (const channel of this.channels) {
        const server = createMllpServer({
          handler: async (text, peer) => (await this.engine.receive(text, channel, peer)).ack,
          maxMessageBytes: channel.maxMessageBytes,
          idleTimeoutMs: channel.idleTimeoutSeconds * 1000,
          logger: this.options.logger,
        });
        const port = await server.listen(channel.port, host);
        this.servers.push(server);
        listening.push({ name: channel.name, port });
      }
      this.outbound?.start();
      this.retention.start();
    } catch (err) {
      await this.close();
      throw err;
    }
    return listening;
  }

  /** Stops the listeners and the workers; messages in flight finish and get their ACK. */
  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    await Promise.all([...servers.map((s) => s.close()), this.outbound?.stop(), this.retention.stop()]);
  }
}
