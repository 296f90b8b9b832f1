import { describeFailure, runClosedLoop } from '../load/fhir-client.mjs';
import { LatencyRecorder } from '../load/latency.mjs';

export const CRUD_TYPES = ['Patient', 'Observation', 'Encounter', 'Condition', 'MedicationRequest'];
/** The operation mix: 10 % create, 60 % read, 25 % update, 5 % delete (cumulative bounds). */
const MIX = [
  ['create', 0.1],
  ['read', 0.7],
  ['update', 0.95],
  ['delete', 1],
];
const BODIES_PER_TYPE = 1000;

/** A small, valid change per type, as a clinician or registrar would make it. */
const MUTATE = {
  Patient: (r, n) => {
    r.telecom = [{ system: 'phone', value: `555-${String(1000 + (n % 9000))}`, use: 'home' }];
  },
  Observation: (r, n) => {
    r.note = [{ text: `Reviewed (${n})` }];
  },
  Encounter: (r, n) => {
    const code = n % 2 ? 'R' : 'EL';
    r.priority = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActPriority', code }],
    };
  },
  Condition: (r, n) => {
    r.note = [{ text: `Reviewed at follow-up (${n})` }];
  },
  MedicationRequest: (r, n) => {
    r.note = [{ text: `Patient counselled (${n})` }];
  },
};

/**
 * Reads back a sample of the ingested resources of each CRUD type (ids from the ingest
 * responses, bodies as stored, references resolved) — the working set the CRUD clients read,
 * update, copy into new resources and delete. Untimed. Also feeds the harvest with the stored
 * encounters' practitioner and location references.
 */
export async function loadWorkingSet({ client, harvest }) {
  const set = new Map();
  for (const type of CRUD_TYPES) {
    const ids = harvest.ids(type).slice(0, BODIES_PER_TYPE);
    const items = [];
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = ids.slice(i, i + 50);
      const res = await client.request('GET', `${type}?_id=${chunk.join(',')}&_count=50`);
      if (res.status !== 200) throw new Error(`reading the working set failed: ${describeFailure(res)}`);
      for (const e of JSON.parse(res.text).entry ?? []) {
        if (type === 'Encounter') harvest.noteEncounterReferences(e.resource);
        items.push({ id: e.resource.id, body: e.resource });
      }
    }
    if (items.length === 0) throw new Error(`no ${type} was loaded; the CRUD mix needs some of each type`);
    set.set(type, items);
  }
  return set;
}

/**
 * The CRUD mix at `clients` concurrent clients for `seconds`. Each client owns a disjoint share
 * of the working set, so no client reads or updates what another is deleting: every non-2xx
 * answer is a real error and is counted.
 */
export async function runCrud({ client, workingSet, clients, seconds, random, harvest }) {
  const shares = Array.from({ length: clients }, () => new Map(CRUD_TYPES.map((t) => [t, []])));
  for (const [type, items] of workingSet) {
    items.forEach((item, k) => {
      shares[k % clients].get(type).push(item);
    });
  }
  const byOp = Object.fromEntries(MIX.map(([op]) => [op, new LatencyRecorder()]));
  const failures = [];
  let n = 0;
  const check = (op, res, expected) => {
    if (res.status === expected || (expected === 200 && res.status === 201)) {
      byOp[op].record(res.ms);
      return true;
    }
    byOp[op].fail();
    if (failures.length < 10) failures.push(`${op}: ${describeFailure(res)}`);
    return false;
  };

  const step = async (i) => {
    const type = CRUD_TYPES[random.int(CRUD_TYPES.length)];
    const mine = shares[i].get(type);
    const x = random.next();
    let op = MIX.find(([, bound]) => x < bound)[0];
    if (mine.length === 0) op = 'create';
    n++;
    if (op === 'create') {
      const template = mine.length ? random.pick(mine).body : random.pick(workingSet.get(type)).body;
      const { id: _id, meta: _meta, ...body } = template;
      const res = await client.request('POST', type, { body: JSON.stringify(body) });
      if (check(op, res, 201)) {
        const created = JSON.parse(res.text);
        mine.push({ id: created.id, body: created });
      }
    } else if (op === 'read') {
      const item = random.pick(mine);
      await client.request('GET', `${type}/${item.id}`).then((res) => check(op, res, 200));
    } else if (op === 'update') {
      const item = random.pick(mine);
      const { meta: _meta, ...body } = item.body;
      MUTATE[type](body, n);
      const res = await client.request('PUT', `${type}/${item.id}`, { body: JSON.stringify(body) });
      if (check(op, res, 200)) item.body = JSON.parse(res.text);
    } else {
      const k = random.int(mine.length);
      const [item] = mine.splice(k, 1);
      harvest.forget(type, item.id);
      await client.request('DELETE', `${type}/${item.id}`).then((res) => check(op, res, 204));
    }
  };

  const wall = await runClosedLoop(clients, seconds, step);
  // What is left after this phase is the next phase's working set.
  for (const type of CRUD_TYPES) {
    workingSet.set(
      type,
      shares.flatMap((s) => s.get(type)),
    );
  }
  const all = new LatencyRecorder();
  for (const r of Object.values(byOp)) all.merge(r);
  const summary = all.summary(wall);
  return {
    clients,
    seconds: wall,
    ...summary,
    byOp: Object.fromEntries(Object.entries(byOp).map(([op, r]) => [op, r.summary(wall)])),
    failures,
  };
}
