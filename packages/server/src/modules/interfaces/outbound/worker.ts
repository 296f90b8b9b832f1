import { createRepository, type Database, type Repository } from '@hospitium/db';
import { notFound } from '@hospitium/fhir';
import { MllpClient, parseMessage, readAck } from '@hospitium/hl7v2';
import type { FhirLogger } from '../../../fhir/types.js';
import { type OutboundChannel, retryDelayMs } from '../channels/outbound-channel.js';
import { getMessage, noteAttempt, recordOutbound } from '../store/message-store.js';
import type { StoredMessage } from '../store/types.js';
import {
  claimNext,
  markDelivered,
  markFailed,
  type OutboxEntry,
  requeueMessage,
  setMessage,
} from './outbox.js';
import { loadRenderInput } from './render/load.js';
import { renderMessage } from './render/messages.js';

export interface OutboundWorkerOptions {
  db: Database;
  channels: readonly OutboundChannel[];
  logger: FhirLogger;
  /** How often to look for due events besides being woken (default 1000 ms). */
  pollIntervalMs?: number;
}

let sequence = 0;
/** MSH-10: unique per message, short enough for the 20 characters v2.5 allows. */
function controlId(): string {
  sequence = (sequence + 1) % 1000;
  return `HO${Date.now().toString(36)}${sequence.toString(36).padStart(2, '0')}${Math.floor(
    Math.random() * 36 ** 3,
  )
    .toString(36)
    .padStart(3, '0')}`.toUpperCase();
}

/**
 * Delivers the outbox after COMMIT: one loop per destination, polling (and woken when a write
 * queued something), taking one event at a time in order per patient (`claimNext`), rendering it
 * at its first attempt and storing it in the message store, sending it over MLLP and waiting
 * for the ACK. AA/CA → acknowledged; AE/AR, no answer in `ackTimeoutSeconds` or no connection →
 * retried after an exponential backoff, and after `maxAttempts` a dead letter. Every state is in
 * the message store. At least once: a crash between the ACK and its recording sends again.
 */
export class OutboundWorker {
  private readonly repository: Repository;
  private readonly clients = new Map<string, MllpClient>();
  private readonly loops = new Map<string, Promise<void>>();
  private readonly wakeups = new Map<string, () => void>();
  /** Loops woken while busy: they look again before waiting. */
  private readonly woken = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly options: OutboundWorkerOptions) {
    this.repository = createRepository(options.db);
  }

  /** Starts one delivery loop per destination. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const channel of this.options.channels) this.loops.set(channel.name, this.loop(channel));
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** Makes idle loops look for work now (called after writes queued events). */
  wake(): void {
    for (const channel of this.options.channels) {
      const w = this.wakeups.get(channel.name);
      if (w) w();
      else this.woken.add(channel.name);
    }
  }

  /** Stops after the message in flight: its ACK (or failure) is recorded; connections close. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    this.wake();
    await Promise.all(this.loops.values());
    this.loops.clear();
    await Promise.all([...this.clients.values()].map((c) => c.close().catch(() => undefined)));
    this.clients.clear();
  }

  /** Puts an outbound message's event back in the queue (a dead letter after the peer is fixed). */
  async replay(messageId: string): Promise<StoredMessage> {
    const { db } = this.options;
    const queued = await db.transaction(async (q) => {
      if (!(await requeueMessage(q, messageId))) return false;
      await q.query(`UPDATE hl7_message SET status = 'sent', updated_at = now() WHERE id = $1::uuid`, [
        messageId,
      ]);
      return true;
    });
    if (!queued) throw notFound(`Outbound message ${messageId} has no queued event`);
    this.wake();
    return (await getMessage(db, messageId)) as StoredMessage;
  }

  private async loop(channel: OutboundChannel): Promise<void> {
    while (this.running) {
      let delivered = false;
      try {
        delivered = await this.deliverNext(channel);
      } catch (err) {
        this.options.logger.error({ err, channel: channel.name }, 'outbound delivery failed');
      }
      if (!delivered && this.running && !this.woken.delete(channel.name)) {
        await new Promise<void>((resolve) => {
          this.wakeups.set(channel.name, resolve);
        });
        this.wakeups.delete(channel.name);
      }
    }
  }

  /** Takes and delivers one due event; false when none is due. */
  private async deliverNext(channel: OutboundChannel): Promise<boolean> {
    const { db } = this.options;
    const entry = await claimNext(db, channel.name, channel.ackTimeoutSeconds + 30);
    if (!entry) return false;
    // Made at the first attempt; made again if its stored row is gone.
    const stored = entry.messageId ? await getMessage(db, entry.messageId) : undefined;
    const message = stored ?? (await this.render(entry, channel));
    if (!message) return true;
    const attempts = entry.attempts + 1;
    let failure: string;
    let ack: string | undefined;
    let ackCode: string | undefined;
    try {
      ack = await this.client(channel).send(message.raw);
      const read = readAck(parseMessage(ack));
      ackCode = read.code;
      if (read.code === 'AA' || read.code === 'CA') {
        await db.transaction(async (q) => {
          await markDelivered(q, entry.id, attempts);
          await noteAttempt(q, message.id, { status: 'acknowledged', attempts, ackCode, ack, errors: [] });
        });
        return true;
      }
      failure = `${read.code ?? 'no MSA-1'}: ${read.errors.join('; ') || 'refused by the peer'}`;
    } catch (err) {
      failure = (err as Error).message;
      // A broken connection is not reused: the next attempt connects again.
      await this.dropClient(channel);
    }
    const dead = attempts >= channel.maxAttempts;
    await db.transaction(async (q) => {
      await markFailed(
        q,
        entry.id,
        attempts,
        failure,
        dead ? 'dead' : { delayMs: retryDelayMs(channel, attempts) },
      );
      await noteAttempt(q, message.id, {
        status: dead ? 'dead' : 'error',
        attempts,
        ackCode,
        ack,
        errors: [{ severity: 'E', code: '207', text: `attempt ${attempts}: ${failure}` }],
      });
    });
    this.options.logger.warn?.(
      { channel: channel.name, controlId: message.controlId, attempts, failure },
      dead ? 'outbound message is a dead letter' : 'outbound message will be retried',
    );
    // A retry is scheduled: look again when it is due (or for other patients now).
    if (!dead) setTimeout(() => this.wake(), retryDelayMs(channel, attempts) + 5).unref();
    return true;
  }

  /** Renders an event's message and stores it; a message that cannot be made is stored dead. */
  private async render(entry: OutboxEntry, channel: OutboundChannel): Promise<StoredMessage | undefined> {
    const { db } = this.options;
    const id = crypto.randomUUID();
    const base = {
      id,
      channel: channel.name,
      messageType: entry.event,
      sendingApplication: channel.sendingApplication,
      sendingFacility: channel.sendingFacility,
      receivingApplication: channel.receivingApplication,
      receivingFacility: channel.receivingFacility,
      version: channel.version,
      remoteAddress: `${channel.host}:${channel.port}`,
      result: [`${entry.focus}/_history/${entry.focusVersion}`],
    };
    let raw: string;
    let control: string;
    let patientIds: string[];
    try {
      control = controlId();
      const input = await loadRenderInput(this.repository, entry, channel, control, new Date());
      raw = renderMessage(input).toString();
      patientIds = ((input.patient.identifier as { system?: string; value?: string }[] | undefined) ?? [])
        .filter((i) => i.value)
        .map((i) => `${i.system ?? ''}|${i.value}`);
    } catch (err) {
      const text = `The message cannot be made: ${(err as Error).message}`;
      await db.transaction(async (q) => {
        await recordOutbound(q, {
          ...base,
          raw: '',
          patientIds: [],
          status: 'dead',
          errors: [{ severity: 'E', code: '207', text }],
        });
        await setMessage(q, entry.id, id);
        await markFailed(q, entry.id, entry.attempts + 1, text, 'dead');
      });
      this.options.logger.error({ channel: channel.name, focus: entry.focus, err }, text);
      return undefined;
    }
    const row = { ...base, raw, controlId: control, patientIds, status: 'sent' as const };
    await db.transaction(async (q) => {
      await recordOutbound(q, row);
      await setMessage(q, entry.id, id);
    });
    return {
      ...row,
      direction: 'outbound',
      errors: [],
      attempts: 0,
      resends: 0,
      receivedAt: '',
      updatedAt: '',
    };
  }

  private client(channel: OutboundChannel): MllpClient {
    let client = this.clients.get(channel.name);
    if (!client) {
      client = new MllpClient({
        host: channel.host,
        port: channel.port,
        ackTimeoutMs: channel.ackTimeoutSeconds * 1000,
        connectTimeoutMs: Math.min(10_000, channel.ackTimeoutSeconds * 1000),
      });
      this.clients.set(channel.name, client);
    }
    return client;
  }

  private async dropClient(channel: OutboundChannel): Promise<void> {
    const client = this.clients.get(channel.name);
    this.clients.delete(channel.name);
    await client?.close().catch(() => undefined);
  }
}
