import { badRequest } from '@hospitium/fhir';
import { defaultChannel, type InboundChannel, readInbound } from './channel.js';

/** The messages Hospitium can send, as `CODE^EVENT`. */
export const outboundMessages: ReadonlySet<string> = new Set([
  'ADT^A01',
  'ADT^A02',
  'ADT^A03',
  'ADT^A04',
  'ADT^A06',
  'ADT^A08',
  'ADT^A11',
  'ADT^A12',
  'ADT^A13',
  'ADT^A21',
  'ADT^A22',
  'ADT^A31',
  'ORM^O01',
  'OML^O21',
  'ORU^R01',
]);

/**
 * An outbound channel: a destination (MLLP listener of a peer) and the events it is sent.
 * `events` lists message types as `ADT^A01`, `ADT^*` or `*`; orders go as ORM^O01 unless the
 * channel names `OML^O21` (or `OML^*`).
 */
export interface OutboundChannel {
  name: string;
  host: string;
  port: number;
  events: string[];
  /** MSH-3 / MSH-4 (who sends: Hospitium) and MSH-5 / MSH-6 (the peer). */
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-12 (default 2.5.1). */
  version: string;
  /** How long to wait for the ACK of each message (default 30). */
  ackTimeoutSeconds: number;
  /** Attempts before a message is a dead letter (default 10). */
  maxAttempts: number;
  /** The wait before the first retry, doubled after each failure (default 5). */
  retryDelaySeconds: number;
  /** The longest wait between attempts (default 600). */
  maxRetryDelaySeconds: number;
}

/** True when the channel is sent this `CODE^EVENT`. */
export function wantsEvent(channel: OutboundChannel, type: string): boolean {
  const [code] = type.split('^');
  return channel.events.some((e) => e === '*' || e === type || e === `${code}^*`);
}

/** The order message this channel takes: OML^O21 when it names OML, else ORM^O01. */
export function orderMessage(channel: OutboundChannel): 'OML^O21' | 'ORM^O01' {
  return channel.events.some((e) => e === 'OML^O21' || e === 'OML^*') ? 'OML^O21' : 'ORM^O01';
}

/** The wait before attempt `attempts + 1`, after `attempts` failures (exponential, capped). */
export function retryDelayMs(channel: OutboundChannel, attempts: number): number {
  const seconds = channel.retryDelaySeconds * 2 ** Math.max(0, attempts - 1);
  return Math.min(seconds, channel.maxRetryDelaySeconds) * 1000;
}

const eventPattern = /^(\*|[A-Z0-9]{3}\^(\*|[A-Z0-9]{3}))$/;

/** Reads the `outbound` section, adding each problem found to `problems`. */
export function readOutbound(json: unknown, problems: string[]): OutboundChannel[] {
  const outbound = (json as { outbound?: unknown } | null)?.outbound;
  if (outbound === undefined) return [];
  if (!Array.isArray(outbound)) {
    problems.push('"outbound" must be an array of channels');
    return [];
  }
  const channels = outbound.map((raw: unknown, i): OutboundChannel => {
    const c = (raw ?? {}) as Record<string, unknown>;
    const where = `outbound[${i}]`;
    const text = (key: string, fallback?: string): string => {
      const v = c[key];
      if (v === undefined && fallback !== undefined) return fallback;
      if (typeof v !== 'string' || !v.trim()) {
        problems.push(`${where}.${key} is required`);
        return '';
      }
      return v.trim();
    };
    const name = text('name');
    const host = text('host');
    const port = Number(c.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      problems.push(`${where}.port must be a port number`);
    const events = c.events;
    if (
      !Array.isArray(events) ||
      events.length === 0 ||
      !events.every((e) => typeof e === 'string' && eventPattern.test(e))
    ) {
      problems.push(`${where}.events must list message types like "ADT^A01", "ADT^*" or "*"`);
    } else {
      for (const e of events as string[]) {
        const [code] = e.split('^');
        const known =
          e === '*' || outboundMessages.has(e) || [...outboundMessages].some((m) => m.startsWith(`${code}^`));
        if (!known) problems.push(`${where}.events: ${e} cannot be sent`);
      }
    }
    const version = text('version', '2.5.1');
    if (!/^2\.[3-8](\.\d+)?$/.test(version)) problems.push(`${where}.version must be 2.3 … 2.8`);
    const num = (key: string, fallback: number) => {
      const v = c[key] === undefined ? fallback : Number(c[key]);
      if (!Number.isFinite(v) || v <= 0) problems.push(`${where}.${key} must be a positive number`);
      return v;
    };
    const maxAttempts = num('maxAttempts', 10);
    if (!Number.isInteger(maxAttempts)) problems.push(`${where}.maxAttempts must be a whole number`);
    return {
      name,
      host,
      port,
      events: Array.isArray(events) ? (events as string[]) : [],
      sendingApplication: text('sendingApplication', 'HOSPITIUM'),
      sendingFacility: text('sendingFacility', 'HOSPITIUM'),
      receivingApplication: text('receivingApplication', name || 'PEER'),
      receivingFacility: text('receivingFacility', name || 'PEER'),
      version,
      ackTimeoutSeconds: num('ackTimeoutSeconds', 30),
      maxAttempts,
      retryDelaySeconds: num('retryDelaySeconds', 5),
      maxRetryDelaySeconds: num('maxRetryDelaySeconds', 600),
    };
  });
  const names = channels.map((c) => c.name);
  if (new Set(names).size !== names.length) problems.push('outbound channel names must be unique');
  return channels;
}

/** Both sections of a channels file. */
export interface ChannelsConfig {
  inbound: InboundChannel[];
  outbound: OutboundChannel[];
}

/**
 * Reads a channels file (JSON) with `inbound` and/or `outbound` channels. A file with only
 * outbound channels keeps the default inbound channel on the MLLP port. Every problem in either
 * section is listed in one error.
 */
export function parseChannelsFile(json: unknown, mllpPort: number): ChannelsConfig {
  const problems: string[] = [];
  const sections = (json ?? {}) as { inbound?: unknown; outbound?: unknown };
  const onlyOutbound = sections.inbound === undefined && sections.outbound !== undefined;
  const inbound = onlyOutbound ? [defaultChannel(mllpPort)] : readInbound(json, mllpPort, problems);
  const outbound = readOutbound(json, problems);
  if (problems.length) throw badRequest(`Invalid HL7 channels: ${problems.join('; ')}`);
  return { inbound, outbound };
}

/** Parses the `outbound` section alone (tests and tools); every problem in one error. */
export function parseOutboundChannels(outbound: unknown): OutboundChannel[] {
  const problems: string[] = [];
  const channels = readOutbound({ outbound }, problems);
  if (problems.length) throw badRequest(`Invalid HL7 channels: ${problems.join('; ')}`);
  return channels;
}
