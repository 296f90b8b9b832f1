import {
  batchItems,
  buildAck,
  defaultDelimiters,
  formatDateTime,
  type Hl7Batch,
  type Hl7BatchFile,
  Hl7ParseError,
  Hl7Segment,
  type MllpPeer,
  parseBatch,
  salvageHeader,
} from '@hospitium/hl7v2';
import type { InboundChannel } from '../channels/channel.js';
import type { InterfaceEngine, Receipt } from './engine.js';

/** True for text holding a batch envelope (FHS/BHS) or several messages (several MSH lines). */
export function isBatch(text: string): boolean {
  const start = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 3);
  if (start === 'FHS' || start === 'BHS') return true;
  return (text.match(/(^|[\r\n])MSH/g) ?? []).length > 1;
}

/**
 * A batch received in one MLLP frame: every message is handled as if sent alone (its own
 * transaction, de-duplication and ACK), and the answer is a batch of their ACKs
 * (BHS, ACK…, BTS with the count), as the v2 batch protocol expects.
 */
export async function receiveBatch(
  engine: InterfaceEngine,
  text: string,
  channel: InboundChannel,
  peer: MllpPeer,
): Promise<Receipt> {
  let file: Hl7BatchFile;
  try {
    file = parseBatch(text);
  } catch (err) {
    if (!(err instanceof Hl7ParseError)) throw err;
    const ack = buildAck(salvageHeader(text), { code: 'AR', issues: [err.issue] }).toString();
    return { ack, resend: false };
  }
  const acks: string[] = [];
  for (const item of batchItems(file)) acks.push((await engine.receive(item.text, channel, peer)).ack);
  const header = file.batches[0]?.header ?? file.header;
  return { ack: `${batchHeader(header)}\r${acks.join('')}BTS|${acks.length}\r`, resend: false };
}

/** BHS of the reply: sender and receiver of the received batch swapped, BHS-12 its control id. */
function batchHeader(received: Hl7Batch['header']): string {
  const d = received?.delimiters ?? defaultDelimiters;
  const bhs = new Hl7Segment(
    'BHS',
    [[], [[[d.field]]], [[[`${d.component}${d.repetition}${d.escape}${d.subcomponent}`]]]],
    d,
  );
  const copy = (from: number, to: number) => {
    const v = received?.value(from);
    if (v) bhs.setValue(v, to);
  };
  copy(5, 3);
  copy(6, 4);
  copy(3, 5);
  copy(4, 6);
  bhs.setValue(formatDateTime(), 7);
  copy(11, 12);
  return bhs.toString();
}
