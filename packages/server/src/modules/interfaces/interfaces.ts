import type { Database } from '@hospitium/db';
import { createMllpServer, type MllpServer } from '@hospitium/hl7v2';
import type { FhirLogger } from '../../fhir/types.js';
import { defaultChannel, type InboundChannel } from './channels/channel.js';
import { InterfaceEngine } from './engine/engine.js';

export interface InterfacesOptions {
  db: Database;
  /** Public FHIR base (for fullUrls in processed bundles). */
  baseUrl: string;
  logger: FhirLogger;
  /** Inbound channels; default one channel on `mllpPort` taking every supported message. */
  channels?: InboundChannel[];
  mllpPort?: number;
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
  private servers: MllpServer[] = [];

  constructor(private readonly options: InterfacesOptions) {
    this.engine = new InterfaceEngine(options);
    this.channels = options.channels ?? [defaultChannel(options.mllpPort ?? 2575)];
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
    } catch (err) {
      await this.close();
      throw err;
    }
    return listening;
  }

  /** Stops the listeners; messages in flight finish and get their ACK. */
  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    await Promise.all(servers.map((s) => s.close()));
  }
}
