import { readFileSync } from 'node:fs';
import { batchItems, Hl7ParseError, MllpClient, parseBatch, parseMessage, readAck } from '@hospitium/hl7v2';
import { ConfigError, type HospitiumConfig } from '../config.js';
import { loadChannels } from '../hl7-channels.js';

/**
 * `hospitium hl7 send FILE --to HOST:PORT` and `hospitium hl7 channels`. Returns the exit
 * code: `send` exits 1 when any message was not accepted (AE/AR) or could not be delivered.
 */
export async function hl7Command(
  config: HospitiumConfig,
  args: string[],
  options: { to?: string },
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'channels') return listChannels(config, out);
  if (sub === 'send') return send(rest, options.to, out);
  throw new ConfigError([
    `hl7 needs a subcommand: send FILE --to HOST:PORT, or channels (got "${sub ?? ''}")`,
  ]);
}

function listChannels(config: HospitiumConfig, out: NodeJS.WritableStream): number {
  const { inbound: channels, outbound } = loadChannels(config);
  out.write(
    `Inbound HL7 v2 channels${config.hl7Channels ? ` (${config.hl7Channels})` : ' (default: no --hl7-channels file)'}\n`,
  );
  const rows = [
    ['name', 'port', 'accepts', 'timezone', 'max size', 'idle timeout', 'attempts'],
    ...channels.map((c) => [
      c.name,
      String(c.port),
      c.accept.join(', ') === '*' ? 'every supported message' : c.accept.join(', '),
      c.timezone,
      `${Math.round(c.maxMessageBytes / 1024)} KiB`,
      `${c.idleTimeoutSeconds} s`,
      String(c.maxAttempts),
    ]),
  ];
  writeTable(rows, out);
  out.write(
    config.hl7RetentionDays > 0
      ? `Message retention: processed and acknowledged messages kept ${config.hl7RetentionDays} days; errors and dead letters until replayed or deleted\n`
      : 'Message retention: every message kept forever (--hl7-retention-days 0)\n',
  );
  if (outbound.length === 0) {
    out.write('Outbound HL7 v2 channels: none\n');
    return 0;
  }
  out.write('Outbound HL7 v2 channels\n');
  writeTable(
    [
      ['name', 'destination', 'events', 'from', 'to', 'version', 'ACK timeout', 'attempts', 'retry after'],
      ...outbound.map((c) => [
        c.name,
        `${c.host}:${c.port}`,
        c.events.join(', '),
        `${c.sendingApplication}^${c.sendingFacility}`,
        `${c.receivingApplication}^${c.receivingFacility}`,
        c.version,
        `${c.ackTimeoutSeconds} s`,
        String(c.maxAttempts),
        `${c.retryDelaySeconds} s … ${c.maxRetryDelaySeconds} s`,
      ]),
    ],
    out,
  );
  return 0;
}

function writeTable(rows: string[][], out: NodeJS.WritableStream): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    out.write(
      `  ${r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd()}\n`,
    );
}

async function send(files: string[], to: string | undefined, out: NodeJS.WritableStream): Promise<number> {
  const problems: string[] = [];
  if (files.length !== 1) problems.push('hl7 send takes one FILE');
  const target = /^(.+):(\d{1,5})$/.exec(to ?? '');
  if (!target || Number(target[2]) > 65535) problems.push('hl7 send needs --to HOST:PORT');
  if (problems.length || !target) throw new ConfigError(problems);
  let text: string;
  try {
    text = readFileSync(files[0], 'utf8');
  } catch (err) {
    throw new ConfigError([`cannot read ${files[0]}: ${(err as Error).message}`]);
  }
  let items: ReturnType<typeof batchItems>;
  try {
    items = batchItems(parseBatch(text));
  } catch (err) {
    if (err instanceof Hl7ParseError) throw new ConfigError([`${files[0]} is not HL7 v2: ${err.message}`]);
    throw err;
  }
  if (items.length === 0) throw new ConfigError([`${files[0]} holds no message`]);
  const client = new MllpClient({ host: target[1], port: Number(target[2]) });
  let failed = 0;
  try {
    for (const [i, item] of items.entries()) {
      const label = item.ok
        ? `${item.message.messageCode ?? '?'}^${item.message.triggerEvent ?? '?'} ${item.message.controlId ?? ''}`
        : 'unreadable message';
      // Even a message that does not parse here is sent: the receiver decides, and answers AR.
      const ackText = await client.send(item.text);
      let code = '?';
      let errors: string[] = [];
      try {
        const ack = readAck(parseMessage(ackText));
        code = ack.code ?? '?';
        errors = ack.errors;
      } catch {
        errors = ['the reply is not an HL7 v2 ACK'];
      }
      if (code !== 'AA' && code !== 'CA') failed++;
      out.write(
        `${i + 1}/${items.length} ${label}: ${code}${errors.length ? ` — ${errors.join('; ')}` : ''}\n`,
      );
      out.write(`${ackText.replace(/\r/g, '\n').trimEnd()}\n\n`);
    }
  } catch (err) {
    await client.close().catch(() => undefined);
    throw new ConfigError([(err as Error).message]);
  }
  await client.close();
  out.write(`${items.length - failed} of ${items.length} accepted\n`);
  return failed > 0 ? 1 : 0;
}
