import { readFileSync } from 'node:fs';
import { describeFailure, runClosedLoop } from '../load/fhir-client.mjs';
import { LatencyRecorder } from '../load/latency.mjs';
import { expandShape, parseQueryShapes } from '../search/shapes.mjs';

export { findQueriesFile } from '../search/queries-file.mjs';

/** The shapes to load-test, with the reason each other shape of the file is left out. */
export function loadShapes(file) {
  const shapes = parseQueryShapes(readFileSync(file, 'utf8'));
  return {
    shapes: shapes.filter((s) => s.load && s.method === 'GET'),
    skipped: shapes
      .filter((s) => !s.load || s.method !== 'GET')
      .map((s) => ({ name: s.name, reason: s.skipReason ?? `method ${s.method}` })),
  };
}

/**
 * Search: first one probe per shape (untimed); a shape the server refuses (4xx) is reported as
 * unsupported with its OperationOutcome and left out of the timed mix. Then `clients` clients
 * for `seconds`, each request a uniformly chosen shape with values freshly drawn from the loaded
 * data. Reports each shape and the blend.
 */
export async function runSearch({ client, shapes, pools, clients, seconds, random, log }) {
  const unsupported = [];
  const active = [];
  // Whether a shape's values are drawn from the data (or all fixed by the shape), from its probe.
  const drawnShapes = new Set();
  for (const shape of shapes) {
    const req = expandShape(shape, pools, random);
    if (req.missing) {
      unsupported.push({ name: shape.name, reason: `no loaded values for {{${req.missing}}}` });
      continue;
    }
    const res = await client.request('GET', req.path, { headers: shape.headers });
    if (req.drawn) drawnShapes.add(shape.name);
    if (res.status >= 200 && res.status < 300) active.push(shape);
    else unsupported.push({ name: shape.name, reason: describeFailure(res), example: req.path });
  }
  log(`search: ${active.length} shapes in the mix, ${unsupported.length} refused or without data`);

  const byShape = new Map(active.map((s) => [s.name, new LatencyRecorder()]));
  const failures = [];
  // How often a shape found something: a shape that always answers empty measures little.
  const found = new Map(active.map((s) => [s.name, 0]));
  const wall = await runClosedLoop(clients, seconds, async () => {
    const shape = active[random.int(active.length)];
    const req = expandShape(shape, pools, random);
    const res = await client.request('GET', req.path, { headers: shape.headers });
    const rec = byShape.get(shape.name);
    if (res.status === 200) {
      rec.record(res.ms);
      if (!res.text.includes('"type":"searchset"') || res.text.includes('"entry":[{')) {
        found.set(shape.name, found.get(shape.name) + 1);
      }
    } else {
      rec.fail();
      if (failures.length < 10) failures.push(`${shape.name} ${req.path}: ${describeFailure(res)}`);
    }
  });
  const all = new LatencyRecorder();
  for (const r of byShape.values()) all.merge(r);
  const alone = await measureAlone({ client, shapes: active, pools, random, log });
  return {
    clients,
    seconds: wall,
    ...all.summary(wall),
    shapes: active.map((s) => ({
      name: s.name,
      resourceType: s.resourceType,
      complexity: s.complexity,
      sampled: drawnShapes.has(s.name),
      ...byShape.get(s.name).summary(wall),
      nonEmptyShare: found.get(s.name) / Math.max(1, byShape.get(s.name).samples.length),
      alone: alone.get(s.name),
    })),
    unsupported,
    failures,
  };
}

/**
 * Each shape on its own, one request at a time (up to 5 requests or 10 s per shape), after the
 * mix: its latency without the queueing behind slower shapes that the closed-loop mix adds.
 */
async function measureAlone({ client, shapes, pools, random, log }) {
  const out = new Map();
  for (const shape of shapes) {
    const rec = new LatencyRecorder();
    const until = performance.now() + 10_000;
    for (let i = 0; i < 5 && performance.now() < until; i++) {
      const req = expandShape(shape, pools, random);
      const res = await client.request('GET', req.path, { headers: shape.headers });
      if (res.status === 200) rec.record(res.ms);
      else rec.fail();
    }
    const s = rec.summary(1);
    out.set(shape.name, { requests: s.requests, errors: s.errors, p50Ms: s.p50Ms, maxMs: s.maxMs });
  }
  log('search: each shape alone measured');
  return out;
}
