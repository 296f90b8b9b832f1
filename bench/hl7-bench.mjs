#!/usr/bin/env node
// HL7 v2 over MLLP (`node bench/hl7-bench.mjs [--database-url URL | --pglite] [--messages N]
// [--connections C]`), also run by `npm run bench`:
// ADT^A01 then ADT^A08 for N distinct patients, sent by C MLLP peers at once to the engine's
// listener, each message persisted (message store + FHIR transaction) and acknowledged before
// the peer sends the next. Prints messages/s, CPU per message (the whole machine's, and this
// process's: engine and peers) and ACK latency (p50, p99) as JSON.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { migrate, openDatabase } from '@hospitium/db';
import { MllpClient, parseMessage } from '@hospitium/hl7v2';
import { Interfaces } from '@hospitium/server';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    messages: { type: 'string', default: '2000' },
    connections: { type: 'string', default: '8' },
    pglite: { type: 'boolean', default: false },
  },
});
const adminUrl =
  values['database-url'] ??
  process.env.HOSPITIUM_BENCH_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const patients = Number(values.messages) / 2;
const connections = Number(values.connections);
const quiet = { error() {}, warn() {}, info() {} };

const message = (event, i) =>
  [
    `MSH|^~\\&|BENCH|GHH^2.16.840.1.113883.19.1^ISO|HIS|HOSP|20260110083000+0100||ADT^${event}^ADT_A01|${event}-${i}|P|2.5.1`,
    `EVN|${event}|20260110083000+0100`,
    `PID|1||B${i}^^^GHH&2.16.840.1.113883.19.5&ISO^MR||Bench^Patient${event === 'A08' ? 'Updated' : ''}^${i}||19800101|F|||1 Main St^^Springfield^IL^62701||^PRN^PH^^1^555^5550000`,
    `PV1|1|I|W${i % 20}^${i % 50}^${i % 4}^GHH||||0148^Attending^Alice|||MED|||||||||V${i}^^^GHH&2.16.840.1.113883.19.5&ISO^VN|||||||||||||||||||||||||20260110080000+0100`,
  ].join('\r');

/**
 * CPU time the whole machine spent working (user, nice, system, irq, softirq; not idle, iowait
 * or steal), in ms, from /proc/stat: engine, PostgreSQL and peers together, so a figure per
 * message that a busy or stolen-from virtual machine changes less than messages/s. NaN off Linux.
 */
function machineCpuMs() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq] = fields;
    return ((user + nice + system + irq + softirq) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

// A fresh database: an in-memory PGlite with --pglite, else a new database on the server.
const name = `hospitium_hl7bench_${process.pid}_${Date.now()}`;
let admin;
let db;
if (values.pglite) {
  db = await openDatabase({ memory: true });
} else {
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  db = await openDatabase({ url: url.toString() });
}
try {
  await migrate(db);
  const interfaces = new Interfaces({
    db,
    baseUrl: 'http://localhost:8080/fhir',
    logger: quiet,
    mllpPort: 0,
  });
  const [{ port }] = await interfaces.listen('127.0.0.1');
  const latencies = [];
  let rejected = 0;
  // Peer c sends the admits, then the updates, of patients c, c + stride, … below limit.
  const peer = async (c, { offset = 0, stride = connections, limit = patients } = {}) => {
    const client = new MllpClient({ host: '127.0.0.1', port });
    for (const event of ['A01', 'A08']) {
      for (let i = c; i < limit; i += stride) {
        const t = performance.now();
        const ack = parseMessage(await client.send(message(event, offset + i)));
        latencies.push(performance.now() - t);
        if (ack.get('MSA-1') !== 'AA') rejected++;
      }
    }
    await client.close();
  };
  // Warm-up: definitions, validator, the first connection and the wards and beds every later
  // message names, with 50 patients of its own (the measured ones are never resends).
  await peer(0, { offset: patients, stride: 1, limit: 50 }).catch(() => undefined);
  rejected = 0;
  latencies.length = 0;
  const cpuBefore = machineCpuMs();
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, (_, c) => peer(c)));
  const seconds = (performance.now() - started) / 1000;
  const cpuMs = machineCpuMs() - cpuBefore;
  const nodeCpu = process.cpuUsage(nodeBefore);
  const nodeMs = (nodeCpu.user + nodeCpu.system) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] * 10) / 10;
  process.stdout.write(
    `${JSON.stringify({ workload: 'ADT A01+A08 over MLLP, persisted and acknowledged', database: values.pglite ? 'pglite' : 'postgres', connections, messages: latencies.length, notAccepted: rejected, seconds: Math.round(seconds * 10) / 10, messagesPerSecond: Math.round(latencies.length / seconds), cpuMsPerMessage: Number.isNaN(cpuMs) ? undefined : { machine: Math.round((cpuMs / latencies.length) * 100) / 100, engineAndPeers: Math.round((nodeMs / latencies.length) * 100) / 100 }, ackMs: { p50: pct(0.5), p99: pct(0.99) } })}\n`,
  );
  await interfaces.close();
} finally {
  await db.close();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
