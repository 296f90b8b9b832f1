import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMllpServer, parseMessage } from '@hospitium/hl7v2';
import { afterAll, describe, expect, it } from 'vitest';
import { backendToken, runHospitium, startHospitium, testClientEnv } from '../testing/process.js';

/**
 * A real MLLP peer feeding a stay to `hospitium start` with `hospitium hl7 send`: admit,
 * results and discharge in one batch file, each acknowledged, visible in FHIR and in the
 * message store; a broken message gets AR and the engine stays up; SIGTERM stops cleanly.
 */
const root = mkdtempSync(join(tmpdir(), 'hospitium-hl7-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const msh = (type: string, id: string) =>
  `MSH|^~\\&|REG|GHH^2.16.840.1.113883.19.1^ISO|HIS|HOSP|20260110083000+0100||${type}|${id}|P|2.5.1`;
const pid = 'PID|1||CLI-MRN-1^^^GHH&2.16.840.1.113883.19.5&ISO^MR||Peer^Paula||19700101|F';
const pv1 = (extra = '') =>
  `PV1|1|I|4E^1^1^GHH||||||||||||||||CLI-V1^^^GHH&2.16.840.1.113883.19.5&ISO^VN${extra}`;

describe('hospitium hl7', () => {
  it('sends a batch over MLLP to a running server and prints each ACK', async () => {
    const server = await startHospitium(['--data', join(root, 'data'), '--no-demo'], testClientEnv);
    const auth = { headers: { authorization: `Bearer ${await backendToken(server.url)}` } };
    try {
      expect(server.output()).toMatch(/HL7 v2 MLLP\s+\S+:\d+ \(channel default\)/);
      const file = join(root, 'stay.hl7');
      writeFileSync(
        file,
        [
          'BHS|^~\\&|REG|GHH',
          msh('ADT^A01^ADT_A01', 'CLI-1'),
          'EVN|A01|20260110083000+0100',
          pid,
          pv1(),
          msh('ORU^R01^ORU_R01', 'CLI-2'),
          pid,
          'OBR|1||LAB-1^LIS|2345-7^Glucose^LN|||20260110090000+0100',
          'OBX|1|NM|2345-7^Glucose^LN||99|mg/dL|70-99|N|||F',
          msh('ADT^A03^ADT_A03', 'CLI-3'),
          'EVN|A03|20260111100000+0100',
          pid,
          `${pv1('|||||||||||||||||||||||||20260110080000+0100|20260111100000+0100')}`,
          'BTS|3',
        ].join('\r\n'),
      );
      const sent = runHospitium(['hl7', 'send', file, '--to', `127.0.0.1:${server.mllpPort}`]);
      expect(await sent.exited).toBe(0);
      expect(sent.output().match(/: AA/g)).toHaveLength(3);
      expect(sent.output()).toMatch(/MSA\|AA\|CLI-3/);
      expect(sent.output()).toMatch(/3 of 3 accepted/);

      const patients = (await (
        await fetch(`${server.url}/fhir/Patient?identifier=urn:oid:2.16.840.1.113883.19.5|CLI-MRN-1`, auth)
      ).json()) as { entry?: unknown[] };
      expect(patients.entry).toHaveLength(1);
      const encounters = (await (
        await fetch(`${server.url}/fhir/Encounter?identifier=CLI-V1`, auth)
      ).json()) as {
        entry: { resource: { status: string } }[];
      };
      expect(encounters.entry[0].resource.status).toBe('finished');
      const log = (await (await fetch(`${server.url}/hl7/messages?patient=CLI-MRN-1`, auth)).json()) as {
        count: number;
      };
      expect(log.count).toBe(3);

      const broken = join(root, 'broken.hl7');
      writeFileSync(broken, 'MSH|^~\\&|REG|GHH|HIS|HOSP|20260110||||P|2.5.1\rPID|1\r');
      const rejected = runHospitium(['hl7', 'send', broken, '--to', `127.0.0.1:${server.mllpPort}`]);
      expect(await rejected.exited).toBe(1);
      expect(rejected.output()).toMatch(/: AR — MSH-9\.1 \(message code\) is required/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  });

  it('sends an outbound feed to a peer listener after FHIR changes, and stops cleanly', async () => {
    const received: string[] = [];
    const peer = createMllpServer({
      handler: async (text) => {
        received.push(text);
        const m = parseMessage(text);
        return `MSH|^~\\&|PEER|WARD|HOSPITIUM|HOSPITIUM|20260110||ACK|A${received.length}|P|2.5.1\rMSA|AA|${m.controlId}\r`;
      },
    });
    const peerPort = await peer.listen(0, '127.0.0.1');
    const file = join(root, 'outbound.json');
    writeFileSync(
      file,
      JSON.stringify({
        outbound: [
          {
            name: 'ward',
            host: '127.0.0.1',
            port: peerPort,
            events: ['ADT^*'],
            receivingApplication: 'PEER',
          },
        ],
      }),
    );
    const server = await startHospitium(
      ['--data', join(root, 'data-out'), '--no-demo', '--hl7-channels', file],
      testClientEnv,
    );
    try {
      expect(server.output()).toMatch(/HL7 v2 out\s+127\.0\.0\.1:\d+ \(channel ward: ADT\^\*\)/);
      const headers = {
        authorization: `Bearer ${await backendToken(server.url)}`,
        'content-type': 'application/fhir+json',
      };
      const created = await fetch(`${server.url}/fhir/Patient`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          resourceType: 'Patient',
          identifier: [{ system: 'urn:oid:1.2.3', value: 'OUT-1' }],
          name: [{ family: 'Outbound' }],
        }),
      });
      const patient = (await created.json()) as { id: string };
      const admitted = await fetch(`${server.url}/fhir/Encounter`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          resourceType: 'Encounter',
          status: 'in-progress',
          class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
          subject: { reference: `Patient/${patient.id}` },
        }),
      });
      expect(admitted.status).toBe(201);
      const deadline = Date.now() + 15_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const a01 = parseMessage(received[0] ?? '');
      expect(a01.get('MSH-9.2')).toBe('A01');
      expect(a01.get('MSH-5')).toBe('PEER');
      expect(a01.get('PID-3.1')).toBe('OUT-1');
      let log = { messages: [] as { status: string; direction: string }[] };
      while (Date.now() < deadline) {
        log = (await (
          await fetch(`${server.url}/hl7/messages?direction=outbound&channel=ward`, { headers })
        ).json()) as typeof log;
        if (log.messages[0]?.status === 'acknowledged') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(log.messages).toMatchObject([{ status: 'acknowledged', direction: 'outbound' }]);
    } finally {
      server.child.kill('SIGTERM');
      await peer.close();
    }
    expect(await server.exited).toBe(0);
  });

  it('lists channels and refuses a bad channels file or a missing --to', async () => {
    const listed = runHospitium(['hl7', 'channels', '--mllp-port', '2599']);
    expect(await listed.exited).toBe(0);
    expect(listed.output()).toMatch(/default\s+2599\s+every supported message/);
    expect(listed.output()).toMatch(/Message retention: processed and acknowledged messages kept 90 days/);
    const forever = runHospitium(['hl7', 'channels', '--hl7-retention-days', '0']);
    expect(await forever.exited).toBe(0);
    expect(forever.output()).toMatch(/every message kept forever/);
    const file = join(root, 'channels.json');
    writeFileSync(
      file,
      JSON.stringify({
        inbound: [
          { name: 'lab', port: 2600, accept: ['ORU^R01'], timezone: '+01:00' },
          { name: 'adt', accept: ['XYZ'] },
        ],
      }),
    );
    const bad = runHospitium(['hl7', 'channels', '--hl7-channels', file]);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/inbound\[1\]\.port/);
    expect(bad.output()).toMatch(/inbound\[1\]\.accept/);
    writeFileSync(
      file,
      JSON.stringify({
        inbound: [
          { name: 'lab', port: 2600, accept: ['ORU^R01'], timezone: '+01:00' },
          { name: 'adt', port: 2601, accept: ['ADT^*'] },
        ],
        outbound: [
          {
            name: 'lis',
            host: 'lis.example',
            port: 6661,
            events: ['ORM^O01', 'ADT^*'],
            receivingApplication: 'LIS',
            receivingFacility: 'LAB',
            maxAttempts: 5,
          },
        ],
      }),
    );
    const good = runHospitium(['hl7', 'channels', '--hl7-channels', file]);
    expect(await good.exited).toBe(0);
    expect(good.output()).toMatch(/lab\s+2600\s+ORU\^R01\s+\+01:00/);
    expect(good.output()).toMatch(/adt\s+2601\s+ADT\^\*/);
    expect(good.output()).toMatch(/Outbound HL7 v2 channels/);
    expect(good.output()).toMatch(
      /lis\s+lis\.example:6661\s+ORM\^O01, ADT\^\*\s+HOSPITIUM\^HOSPITIUM\s+LIS\^LAB\s+2\.5\.1\s+30 s\s+5/,
    );
    writeFileSync(file, JSON.stringify({ outbound: [{ name: 'lis', port: 6661, events: ['ZZZ^Z01'] }] }));
    const badOut = runHospitium(['hl7', 'channels', '--hl7-channels', file]);
    expect(await badOut.exited).toBe(1);
    expect(badOut.output()).toMatch(
      /outbound\[0\]\.host is required.*outbound\[0\]\.events: ZZZ\^Z01 cannot be sent/s,
    );
    const noTarget = runHospitium(['hl7', 'send', file]);
    expect(await noTarget.exited).toBe(1);
    expect(noTarget.output()).toMatch(/--to HOST:PORT/);
  });
});
