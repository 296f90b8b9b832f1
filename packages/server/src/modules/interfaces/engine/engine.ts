import { randomUUID } from 'node:crypto';
import type { ChangeListener, Database } from '@hospitium/db';
import { notFound, unprocessable } from '@hospitium/fhir';
import {
  buildAck,
  checkHeader,
  ErrorCode,
  type Hl7Issue,
  type Hl7Message,
  Hl7ParseError,
  type MllpPeer,
  parseMessage,
  salvageHeader,
} from '@hospitium/hl7v2';
import type { FhirLogger } from '../../../fhir/types.js';
import { accepts, type InboundChannel } from '../channels/channel.js';
import { type MappedMessage, mapMessage, supportedMessages } from '../mapping/map-message.js';
import {
  claimMessage,
  getMessage,
  type MessageRow,
  noteResend,
  recordFailure,
  updateOutcome,
} from '../store/message-store.js';
import type { StoredMessage } from '../store/types.js';
import { applyInTransaction } from './apply.js';
import { isBatch, receiveBatch } from './batch.js';
import { issuesForFailure } from './outcome-issues.js';

export interface InterfaceEngineOptions {
  db: Database;
  baseUrl: string;
  logger: FhirLogger;
  /** Told of the FHIR changes a message makes, inside its transaction (the outbox). */
  onChange?: ChangeListener;
}

/** The answer to one message: the ACK text and the stored message's id. */
export interface Receipt {
  ack: string;
  messageId?: string;
  /** True when the message had been applied before and the stored ACK was sent again. */
  resend: boolean;
}

let ackCounter = 0;
/** MSH-10 of our ACKs: unique per process and short (v2.3 allows 20 characters). */
function ackControlId(): string {
  ackCounter = (ackCounter + 1) % 1_000_000;
  return `A${Date.now().toString(36)}${ackCounter.toString(36)}`.slice(0, 20);
}

/**
 * The inbound interface engine: parse, check, de-duplicate, map and apply one message, and say
 * what to answer. The ACK is built only after the FHIR changes and the message row have
 * committed in one transaction; a resent message (same sender and MSH-10) is answered with the
 * stored ACK without applying it again.
 */
export class InterfaceEngine {
  constructor(private readonly options: InterfaceEngineOptions) {}

  /** Handles one message received on a channel. Never throws: every outcome is an ACK. */
  async receive(text: string, channel: InboundChannel, peer: MllpPeer = {}): Promise<Receipt> {
    if (isBatch(text)) return receiveBatch(this, text, channel, peer);
    let message: Hl7Message;
    try {
      message = parseMessage(text);
    } catch (err) {
      if (!(err instanceof Hl7ParseError)) throw err;
      return this.reject(text, channel, peer, salvageHeader(text), [err.issue]);
    }
    const header = checkHeader(message);
    if (header.length) return this.reject(text, channel, peer, message, header);
    const type = `${message.messageCode}^${message.triggerEvent ?? ''}`;
    if (!supportedMessages.has(type) || !accepts(channel, type)) {
      const codeKnown = [...supportedMessages].some((t) => t.startsWith(`${message.messageCode}^`));
      return this.reject(text, channel, peer, message, [
        {
          code: codeKnown ? ErrorCode.unsupportedEventCode : ErrorCode.unsupportedMessageType,
          severity: 'E',
          location: { segment: 'MSH', sequence: 1, field: 9, component: codeKnown ? 2 : 1 },
          text: `Message type ${type} is not accepted on channel '${channel.name}'`,
        },
      ]);
    }
    const dedupKey = [
      'inbound',
      message.get('MSH-3') ?? '',
      message.get('MSH-4') ?? '',
      message.controlId,
    ].join('|');
    try {
      return await this.apply(text, message, channel, peer, dedupKey);
    } catch (err) {
      this.options.logger.error(
        { err, controlId: message.controlId, channel: channel.name },
        'HL7 message could not be stored',
      );
      // The store itself failed (database down): answer AE so the peer resends later.
      const ack = buildAck(message, {
        code: 'AE',
        controlId: ackControlId(),
        issues: [
          {
            code: ErrorCode.applicationInternalError,
            severity: 'E',
            text: 'The message could not be stored; send it again later',
          },
        ],
      }).toString();
      return { ack, resend: false };
    }
  }

  private async apply(
    text: string,
    message: Hl7Message,
    channel: InboundChannel,
    peer: MllpPeer,
    dedupKey: string,
  ): Promise<Receipt> {
    const { db } = this.options;
    const row = this.row(text, message, channel, peer, dedupKey);
    let mapped: MappedMessage | undefined;
    try {
      mapped = mapMessage(message, { timezoneOffset: channel.timezone });
      row.patientIds = mapped.patientIds;
      const ack = buildAck(message, {
        code: 'AA',
        controlId: ackControlId(),
        issues: mapped.issues,
      }).toString();
      const applied = await applyInTransaction(db, mapped, this.options, async (tx, result) =>
        (await claimMessage(tx, {
          ...row,
          status: 'processed',
          ackCode: 'AA',
          ack,
          errors: mapped?.issues ?? [],
          result,
        }))
          ? true
          : undefined,
      );
      if (applied) return { ack, messageId: row.id, resend: false };
      return this.answerResend(dedupKey, message);
    } catch (err) {
      const issues = issuesForFailure(err, mapped?.sources ?? []);
      if (issues[0]?.code === ErrorCode.applicationInternalError) {
        this.options.logger.error(
          { err, controlId: message.controlId, channel: channel.name },
          'HL7 message failed',
        );
      }
      const ack = buildAck(message, { code: 'AE', controlId: ackControlId(), issues }).toString();
      const stored = await recordFailure(
        db,
        { ...row, status: 'error', ackCode: 'AE', ack, errors: issues },
        channel.maxAttempts,
      );
      if (!stored) return this.answerResend(dedupKey, message);
      return { ack, messageId: stored.id, resend: false };
    }
  }

  /** The message was applied (or given up on) before: count the resend, answer the stored ACK. */
  private async answerResend(dedupKey: string, message: Hl7Message): Promise<Receipt> {
    const stored = await noteResend(this.options.db, dedupKey);
    const ack = stored?.ack ?? buildAck(message, { code: 'AA', controlId: ackControlId() }).toString();
    return { ack, messageId: stored?.id, resend: true };
  }

  /** AR: unreadable, incomplete header or a type this channel does not take. Stored, not applied. */
  private async reject(
    text: string,
    channel: InboundChannel,
    peer: MllpPeer,
    original: Hl7Message | ReturnType<typeof salvageHeader>,
    issues: Hl7Issue[],
  ): Promise<Receipt> {
    const ack = buildAck(original, { code: 'AR', controlId: ackControlId(), issues }).toString();
    const base =
      'segments' in original
        ? this.row(text, original, channel, peer, undefined)
        : {
            id: randomUUID(),
            channel: channel.name,
            direction: 'inbound' as const,
            status: 'rejected' as const,
            raw: text,
            controlId: original.controlId,
            sendingApplication: original.sendingApplication,
            sendingFacility: original.sendingFacility,
            version: original.version,
            patientIds: [],
            errors: [],
            remoteAddress: peer.remoteAddress,
          };
    try {
      const stored = await recordFailure(
        this.options.db,
        { ...base, status: 'rejected', ackCode: 'AR', ack, errors: issues },
        channel.maxAttempts,
      );
      return { ack, messageId: stored?.id, resend: false };
    } catch (err) {
      this.options.logger.error({ err }, 'Rejected HL7 message could not be stored');
      return { ack, resend: false };
    }
  }

  private row(
    text: string,
    m: Hl7Message,
    channel: InboundChannel,
    peer: MllpPeer,
    dedupKey: string | undefined,
  ): MessageRow {
    return {
      id: randomUUID(),
      channel: channel.name,
      direction: 'inbound',
      status: 'received',
      raw: text,
      messageType: m.messageCode
        ? `${m.messageCode}${m.triggerEvent ? `^${m.triggerEvent}` : ''}`
        : undefined,
      controlId: m.controlId,
      sendingApplication: m.get('MSH-3'),
      sendingFacility: m.get('MSH-4'),
      receivingApplication: m.get('MSH-5'),
      receivingFacility: m.get('MSH-6'),
      version: m.version,
      patientIds: [],
      dedupKey,
      errors: [],
      remoteAddress: peer.remoteAddress,
    };
  }

  /**
   * Applies a stored message again (after a mapping fix or for a dead letter), whatever its
   * status, and records the new outcome on the same row. Returns the updated message.
   */
  async replay(id: string, channel: InboundChannel): Promise<StoredMessage> {
    const { db } = this.options;
    const stored = await getMessage(db, id);
    if (!stored) throw notFound(`HL7 message ${id} not found`);
    let message: Hl7Message;
    try {
      message = parseMessage(stored.raw);
    } catch (err) {
      if (err instanceof Hl7ParseError)
        throw unprocessable(`The stored message cannot be read: ${err.message}`);
      throw err;
    }
    const header = checkHeader(message);
    if (header.length)
      throw unprocessable(
        `The stored message has an incomplete header: ${header.map((i) => i.text).join('; ')}`,
      );
    const type = `${message.messageCode}^${message.triggerEvent ?? ''}`;
    if (!supportedMessages.has(type)) throw unprocessable(`Message type ${type} cannot be mapped`);
    let mapped: MappedMessage | undefined;
    try {
      mapped = mapMessage(message, { timezoneOffset: channel.timezone });
      const ack = buildAck(message, {
        code: 'AA',
        controlId: ackControlId(),
        issues: mapped.issues,
      }).toString();
      const current = mapped;
      await applyInTransaction(db, current, this.options, async (tx, result) => {
        await updateOutcome(tx, id, {
          status: 'processed',
          ackCode: 'AA',
          ack,
          errors: current.issues,
          result,
          patientIds: current.patientIds,
        });
        return true;
      });
    } catch (err) {
      const issues = issuesForFailure(err, mapped?.sources ?? []);
      const ack = buildAck(message, { code: 'AE', controlId: ackControlId(), issues }).toString();
      await updateOutcome(db, id, { status: 'error', ackCode: 'AE', ack, errors: issues });
    }
    return (await getMessage(db, id)) as StoredMessage;
  }
}
