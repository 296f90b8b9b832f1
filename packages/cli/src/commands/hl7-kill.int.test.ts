import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameDecoder, frame, MllpClient, parseMessage } from '@hospitium/hl7v2';
import { afterAll, describe, expect, it } from 'vitest';
import { backendToken, startHospitium, testClientEnv } from '../testing/process.js';

/**
 * Kill during processing, with a real process: a peer streams ADT messages over MLLP to
 * `hospitium start` (embedded database), the process is SIGKILLed mid-stream, started again on
 * the same data directory, and the peer resends every message it got no ACK for. Each message
 * must then be in the message store once, processed, and applied once: every visit has exactly
 * the versions its messages make (A01, A02, A08 → 3), no more (applied twice) and no fewer
 * (acknowledged but lost).
 */
const root = mkdtempSync(join(tmpdir(), 'hospitium-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const patients = 20;
const authority = 'GHH&2.16.840.1.113883.19.5&ISO';
const msh = (type: string, id: string) =>
  `MSH|^~\\&|REG|GHH^2.16.840.1.113883.19.1^ISO|HIS|HOSP|20260110083000+0100||${type}|${id}|P|2.5.1`;

/** For each patient: admit to ward 4E, transfer to ICU, update the name (A08). */
function stream(): { controlId: string; text: string }[] {
  const out: { controlId: string; text: string }[] = [];
  for (let p = 0; p < patients; p++) {
    const pid = (family: string) => `PID|1||KILL-MRN-${p}^^^${authority}^MR||${family}^Pat||19700101|F`;
    const pv1 = (bed: string, prior = '') =>
      `PV1|1|I|${bed}|||${prior}|||||||||||||KILL-V-${p}^^^${authority}^VN|||||||||||||||||||||||||20260110080000+0100`;
    const add = (type: string, lines: string[]) => {
      const controlId = `KILL-${out.length}`;
      out.push({ controlId, text: [msh(type, controlId), ...lines].join('\r') });
    };
    add('ADT^A01^ADT_A01', ['EVN|A01|20260110083000+0100', pid('Stream'), pv1(`4E^${p}^A^GHH`)]);
    add('ADT^A02^ADT_A02', [
      'EVN|A02|20260110093000+0100',
      pid('Stream'),
      pv1(`ICU^${p}^1^GHH`, `4E^${p}^A^GHH`),
    ]);
    add('ADT^A08^ADT_A01', ['EVN|A08|20260110103000+0100', pid('Streamed'), pv1(`ICU^${p}^1^GHH`)]);
  }
  return out;
}

/**
 * Writes every frame at once on one connection (the server answers them one after the other)
 * and SIGKILLs the server once `killAfter` ACKs are in. Resolves with the control ids that were
 * acknowledged AA before the connection died.
 */
function streamUntilKilled(
  port: number,
  messages: { text: string }[],
  killAfter: number,
  kill: () => void,
): Promise<Set<string>> {
  return new Promise((resolve) => {
    const acked = new Set<string>();
    const decoder = new FrameDecoder(1 << 20);
    const socket = connect(port, '127.0.0.1', () => {
      for (const m of messages) socket.write(frame(m.text));
    });
    socket.on('data', (chunk) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind !== 'message') continue;
        const ack = parseMessage(event.payload.toString('utf8'));
        if (ack.get('MSA-1') === 'AA') acked.add(ack.get('MSA-2') ?? '');
        if (acked.size === killAfter) kill();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(acked));
  });
}

describe('hospitium start killed while it processes an MLLP stream', () => {
  it('applies every message exactly once after the restart and the peer resending what was not acknowledged', async () => {
    const data = join(root, 'data');
    const messages = stream();
    const first = await startHospitium(['--data', data, '--no-demo'], testClientEnv);
    const acked = await streamUntilKilled(first.mllpPort, messages, 15, () => first.child.kill('SIGKILL'));
    await first.exited;
    // Killed mid-stream: some messages acknowledged, not all.
    expect(acked.size).toBeGreaterThanOrEqual(15);
    expect(acked.size).toBeLessThan(messages.length);

    const second = await startHospitium(['--data', data, '--no-demo'], testClientEnv);
    try {
      const client = new MllpClient({ host: '127.0.0.1', port: second.mllpPort });
      try {
        for (const m of messages.filter((x) => !acked.has(x.controlId))) {
          const ack = parseMessage(await client.send(m.text));
          expect(ack.get('MSA-1'), m.controlId).toBe('AA');
          expect(ack.get('MSA-2')).toBe(m.controlId);
        }
      } finally {
        await client.close();
      }

      const auth = { headers: { authorization: `Bearer ${await backendToken(second.url)}` } };
      const get = async <T>(path: string) => (await (await fetch(`${second.url}${path}`, auth)).json()) as T;
      const log = await get<{
        messages: { status: string; controlId: string; attempts: number; resends: number }[];
      }>('/hl7/messages?type=ADT&_count=500');
      const stored = log.messages;
      expect(stored).toHaveLength(messages.length);
      expect(new Set(stored.map((m) => m.controlId)).size).toBe(messages.length);
      expect(stored.every((m) => m.status === 'processed' && m.attempts === 1)).toBe(true);
      if (process.env.DEBUG_KILL) {
        const resends = stored.reduce((n, m) => n + m.resends, 0);
        console.log(
          `${acked.size} acknowledged before the kill; ${resends} resent message(s) were already applied`,
        );
      }

      for (let p = 0; p < patients; p++) {
        const patientsFound = await get<{ entry?: unknown[] }>(
          `/fhir/Patient?identifier=urn:oid:2.16.840.1.113883.19.5|KILL-MRN-${p}`,
        );
        expect(patientsFound.entry, `patient ${p}`).toHaveLength(1);
        const visits = await get<{ entry?: { resource: { id: string; status: string } }[] }>(
          `/fhir/Encounter?identifier=urn:oid:2.16.840.1.113883.19.5|KILL-V-${p}`,
        );
        expect(visits.entry, `visit ${p}`).toHaveLength(1);
        const history = await get<{ entry?: unknown[] }>(
          `/fhir/Encounter/${visits.entry?.[0].resource.id}/_history`,
        );
        expect(history.entry, `visit ${p} versions`).toHaveLength(3);
      }
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(0);
  }, 60_000);
});
