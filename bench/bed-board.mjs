#!/usr/bin/env node
// The bed board at hospital size: builds a hospital of N beds (units of 15 rooms × 2 beds) with
// about 80 % occupied (a patient, an in-progress Encounter with attending), 10 % dirty with a
// cleaning Task, a few blocked, 20 emergency patients waiting, on a fresh database, then times
// `GET Location/$bed-board` (the handler in-process, no HTTP) and prints p50 / p95 / max and the
// answer's size. `node bench/bed-board.mjs [--beds 300] [--runs 30] [--database-url URL]`
// (default: embedded PGlite in memory). Needs `npm run build`.
import { parseArgs } from 'node:util';
import { createRepository, migrate, openDatabase } from '@hospitium/db';
import { handleFhirRequest, internalAccess } from '@hospitium/server';

const { values } = parseArgs({
  options: {
    beds: { type: 'string', default: '300' },
    runs: { type: 'string', default: '30' },
    'database-url': { type: 'string' },
  },
});
const beds = Number(values.beds);
const runs = Number(values.runs);
const url = values['database-url'];
const schema = url ? `bench_board_${Date.now().toString(36)}` : undefined;

let admin;
if (url) {
  const pg = (await import('pg')).default;
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
}
const db = await openDatabase(url ? { url, schema } : { memory: true });
try {
  await migrate(db);
  const repo = createRepository(db);
  const physical = (code) => ({
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code }],
  });
  const status = (code) => ({ system: 'http://terminology.hl7.org/CodeSystem/v2-0116', code });
  const units = Math.ceil(beds / 30);
  const t0 = performance.now();
  const doc = await repo.createResource({
    resourceType: 'Practitioner',
    name: [{ family: 'Grey', given: ['Meredith'] }],
  });
  let made = 0;
  for (let u = 0; u < units && made < beds; u++) {
    const unit = await repo.createResource({
      resourceType: 'Location',
      name: `Unit ${u + 1}`,
      alias: [`U${u + 1}`],
      mode: 'instance',
      physicalType: physical('wa'),
    });
    const rooms = await repo.createResources(
      Array.from({ length: 15 }, (_, r) => ({
        resourceType: 'Location',
        name: `U${u + 1} ${String(r + 1).padStart(2, '0')}`,
        mode: 'instance',
        physicalType: physical('ro'),
        partOf: { reference: `Location/${unit.id}` },
      })),
    );
    const bedRows = [];
    for (const room of rooms)
      for (const letter of ['A', 'B']) {
        if (made + bedRows.length >= beds) break;
        const i = made + bedRows.length;
        const code = i % 10 === 0 ? 'H' : i % 50 === 7 ? 'C' : i % 10 < 8 ? 'O' : 'U';
        bedRows.push({
          resourceType: 'Location',
          name: `${room.name}-${letter}`,
          mode: 'instance',
          physicalType: physical('bd'),
          operationalStatus: status(code),
          partOf: { reference: `Location/${room.id}` },
        });
      }
    const created = await repo.createResources(bedRows);
    made += created.length;
    const occupied = created.filter((b) => b.operationalStatus.code === 'O');
    const patients = await repo.createResources(
      occupied.map((_, i) => ({
        resourceType: 'Patient',
        identifier: [{ system: 'http://hospitium.org/fhir/sid/mrn', value: `${u}${i}`.padStart(8, '0') }],
        name: [{ family: `Family${i}`, given: [`Given${u}`] }],
        gender: i % 2 ? 'male' : 'female',
        birthDate: `19${40 + (i % 50)}-02-03`,
      })),
    );
    await repo.createResources(
      occupied.map((bed, i) => ({
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
        subject: { reference: `Patient/${patients[i].id}` },
        period: { start: '2026-01-01T08:00:00Z' },
        participant: [
          { type: [{ coding: [{ code: 'ATND' }] }], individual: { reference: `Practitioner/${doc.id}` } },
        ],
        location: [
          { location: { reference: `Location/${unit.id}` }, status: 'active', physicalType: physical('wa') },
          { location: { reference: `Location/${bed.id}` }, status: 'active', physicalType: physical('bd') },
        ],
      })),
    );
    await repo.createResources(
      created
        .filter((b) => b.operationalStatus.code === 'H')
        .map((bed) => ({
          resourceType: 'Task',
          status: 'requested',
          intent: 'order',
          code: {
            coding: [{ system: 'http://hospitium.org/fhir/CodeSystem/task-code', code: 'bed-cleaning' }],
          },
          focus: { reference: `Location/${bed.id}` },
        })),
    );
  }
  const waiting = await repo.createResources(
    Array.from({ length: 20 }, (_, i) => ({
      resourceType: 'Patient',
      name: [{ family: `Waiting${i}` }],
      gender: 'female',
      birthDate: '1960-01-01',
    })),
  );
  await repo.createResources(
    waiting.map((p) => ({
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'EMER' },
      subject: { reference: `Patient/${p.id}` },
      period: { start: '2026-01-01T10:00:00Z' },
    })),
  );
  const built = performance.now() - t0;
  const ctx = {
    repository: repo,
    baseUrl: 'http://bench/fhir',
    logger: { error() {}, warn() {}, info() {} },
    access: internalAccess,
  };
  const request = {
    method: 'GET',
    segments: ['Location', '$bed-board'],
    query: new URLSearchParams(),
    headers: {},
    body: undefined,
  };
  const times = [];
  let size = 0;
  for (let i = 0; i < runs + 3; i++) {
    const start = performance.now();
    const res = await handleFhirRequest(request, ctx);
    const text = JSON.stringify(res.body);
    if (i >= 3) times.push(performance.now() - start);
    size = text.length;
    if (res.status !== 200) throw new Error(`status ${res.status}: ${text}`);
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
  console.log(
    JSON.stringify({
      engine: db.kind,
      beds: made,
      units,
      buildSeconds: +(built / 1000).toFixed(1),
      runs,
      p50ms: +pct(50),
      p95ms: +pct(95),
      maxms: +times[times.length - 1].toFixed(1),
      answerKB: +(size / 1024).toFixed(1),
    }),
  );
} finally {
  await db.close();
  if (admin) {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}
