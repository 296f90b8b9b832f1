import { badRequest } from '@hospitium/fhir';
import { supportedMessages } from '../mapping/map-message.js';

/**
 * An inbound channel: where a peer connects and what it may send. `accept` lists message types
 * as `ADT^A01`, `ADT^*` or `*` (everything the engine can map); anything else is answered AR
 * with ERR-3 200/201.
 */
export interface InboundChannel {
  name: string;
  /** MLLP port; the first channel defaults to `--mllp-port`. */
  port: number;
  accept: string[];
  /** Zone offset for times without one, e.g. `+01:00` (default `Z`). */
  timezone: string;
  /** Largest message in bytes (default 16 MiB). */
  maxMessageBytes: number;
  /** Close connections idle this long, in seconds (default 300). */
  idleTimeoutSeconds: number;
  /** Failed attempts of the same message before it is a dead letter (default 3). */
  maxAttempts: number;
}

/** The channel used when none is configured: every supported message, on the MLLP port. */
export function defaultChannel(port: number): InboundChannel {
  return {
    name: 'default',
    port,
    accept: ['*'],
    timezone: 'Z',
    maxMessageBytes: 16 * 1024 * 1024,
    idleTimeoutSeconds: 300,
    maxAttempts: 3,
  };
}

/** True when the channel takes this `CODE^EVENT`. */
export function accepts(channel: InboundChannel, type: string): boolean {
  const [code] = type.split('^');
  return channel.accept.some((a) => a === '*' || a === type || a === `${code}^*`);
}

/**
 * Reads the `inbound` section of a channels file (JSON):
 * `{ "inbound": [{ "name": "lab", "port": 2576, "accept": ["ORU^R01"], "timezone": "+01:00" }] }`.
 * Every problem is listed in one error.
 */
export function parseChannels(json: unknown, mllpPort: number): InboundChannel[] {
  const problems: string[] = [];
  const channels = readInbound(json, mllpPort, problems);
  if (problems.length) throw badRequest(`Invalid HL7 channels: ${problems.join('; ')}`);
  return channels;
}

/** Reads the `inbound` section, adding each problem found to `problems`. */
export function readInbound(json: unknown, mllpPort: number, problems: string[]): InboundChannel[] {
  const inbound = (json as { inbound?: unknown } | null)?.inbound;
  if (!Array.isArray(inbound) || inbound.length === 0) {
    problems.push('the channels file needs an "inbound" array with at least one channel');
    return [];
  }
  const channels = inbound.map((raw: unknown, i) => {
    const c = (raw ?? {}) as Record<string, unknown>;
    const base = defaultChannel(i === 0 ? mllpPort : 0);
    const where = `inbound[${i}]`;
    const name = typeof c.name === 'string' && c.name.trim() ? c.name.trim() : undefined;
    if (!name) problems.push(`${where}.name is required`);
    const port = c.port === undefined ? base.port : Number(c.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535 || (i > 0 && c.port === undefined)) {
      problems.push(
        `${where}.port must be a port number${i > 0 ? ' (required after the first channel)' : ''}`,
      );
    }
    const accept = c.accept === undefined ? base.accept : c.accept;
    if (
      !Array.isArray(accept) ||
      !accept.every((a) => typeof a === 'string' && /^(\*|[A-Z0-9]{3}\^(\*|[A-Z0-9]{3}))$/.test(a))
    ) {
      problems.push(`${where}.accept must list message types like "ADT^A01", "ADT^*" or "*"`);
    } else {
      for (const a of accept as string[]) {
        if (a !== '*' && !a.endsWith('^*') && !supportedMessages.has(a))
          problems.push(`${where}.accept: ${a} cannot be mapped yet`);
      }
    }
    const timezone = c.timezone === undefined ? base.timezone : String(c.timezone);
    if (!/^(Z|[+-]\d{2}:\d{2})$/.test(timezone)) problems.push(`${where}.timezone must be Z or ±hh:mm`);
    const num = (key: string, fallback: number) => {
      const v = c[key] === undefined ? fallback : Number(c[key]);
      if (!Number.isFinite(v) || v <= 0) problems.push(`${where}.${key} must be a positive number`);
      return v;
    };
    return {
      name: name ?? '',
      port,
      accept: accept as string[],
      timezone,
      maxMessageBytes: num('maxMessageBytes', base.maxMessageBytes),
      idleTimeoutSeconds: num('idleTimeoutSeconds', base.idleTimeoutSeconds),
      maxAttempts: num('maxAttempts', base.maxAttempts),
    };
  });
  const names = channels.map((c) => c.name);
  if (new Set(names).size !== names.length) problems.push('channel names must be unique');
  const ports = channels.map((c) => c.port).filter((p) => p !== 0);
  if (new Set(ports).size !== ports.length) problems.push('channel ports must be unique');
  return channels;
}
