import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { createRepository } from '../repository/repository.js';
import { refreshStatistics } from '../repository/statistics.js';
import type { SearchFilter, SearchRequest } from '../repository/types.js';
import { testDatabases } from '../testing/databases.js';
import { buildSearch } from './build-query.js';

/**
 * Item "indexes that scale": the hot query shapes must be index-driven at 1,000+ patients. Loads
 * 1,200 synthetic patients with 5 observations each, runs ANALYZE, and reads the plan of each shape
 * (EXPLAIN, FORMAT JSON): no sequential scan on the resource or index tables.
 */
const PATIENTS = 1200;
const OBSERVATIONS_PER_PATIENT = 5;
const CODES = 60;

const pad = (n: number) => String(n).padStart(4, '0');

function patient(i: number): Resource {
  return {
    resourceType: 'Patient',
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml">Fam${pad(i)} Given${i % 97}, ward ${i % 40}</div>`,
    },
    name: [{ family: `Fam${pad(i)}`, given: [`Given${i % 97}`] }],
    gender: i % 2 ? 'male' : 'female',
    birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    managingOrganization: { reference: `Organization/org${i % 20}` },
  };
}

function observation(p: number, k: number): Resource {
  const n = p * OBSERVATIONS_PER_PATIENT + k;
  const day = 1 + (n % 365);
  const date = new Date(Date.UTC(2023, 0, day, n % 24, 0, 0)).toISOString();
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: `code-${n % CODES}` }] },
    subject: { reference: `Patient/p${p}` },
    effectiveDateTime: date,
    valueQuantity: { value: n % 200, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

/** Clinics on a 0.1° grid around Boston (40 × 30), one Location each, for `near`. */
function location(i: number): Resource {
  return {
    resourceType: 'Location',
    status: 'active',
    name: `Clinic ${i}`,
    position: { latitude: 41 + Math.floor(i / 40) * 0.1, longitude: -73 + (i % 40) * 0.1 },
  };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function indexNames(node: PlanNode, out: string[] = []): string[] {
  if (node['Index Name']) out.push(node['Index Name']);
  for (const child of node.Plans ?? []) indexNames(child, out);
  return out;
}

function seqScans(node: PlanNode, out: string[] = []): string[] {
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) out.push(node['Relation Name']);
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
}

const rad = (d: number) => (d * Math.PI) / 180;
function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const a =
    Math.sin(rad(lat2 - lat1) / 2) ** 2 +
    Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

const f = (code: string, modifier: string | undefined, ...values: string[]): SearchFilter =>
  modifier === undefined ? { code, values } : { code, modifier, values };

describe.each(testDatabases())('query plans at 1,200 patients on $name', ({ open }) => {
  let db: Database;
  let recent = '';

  beforeAll(async () => {
    db = await open();
    const repo = createRepository(db);
    const orgs = Array.from(
      { length: 20 },
      (_, i): Resource => ({ resourceType: 'Organization', name: `Org ${i}` }),
    );
    await repo.createResources(orgs, { ids: orgs.map((_, i) => `org${i}`) });
    for (let start = 0; start < PATIENTS; start += 300) {
      const batch = Array.from({ length: 300 }, (_, j) => start + j);
      await repo.createResources(batch.map(patient), { ids: batch.map((i) => `p${i}`) });
      const observations = batch.flatMap((i) =>
        Array.from({ length: OBSERVATIONS_PER_PATIENT }, (_, k) => observation(i, k)),
      );
      await repo.createResources(observations);
    }
    await repo.createResources(Array.from({ length: PATIENTS }, (_, i) => location(i)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    recent = new Date().toISOString();
    await repo.createResources([observation(1, 0), observation(2, 0)]);
    await refreshStatistics(db);
    await db.query('ANALYZE');
  }, 240_000);

  afterAll(async () => {
    await db?.close();
  });

  async function plan(request: SearchRequest): Promise<PlanNode> {
    const compiled = buildSearch(request);
    if (!compiled.page) throw new Error('no page query');
    const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) ${compiled.page.sql}`,
      compiled.page.params,
    );
    const raw = rows[0]['QUERY PLAN'];
    const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    return parsed[0].Plan;
  }

  const shapes: [string, SearchRequest][] = [
    [
      'token by code',
      { resourceType: 'Observation', filters: [f('code', undefined, 'http://loinc.org|code-7')] },
    ],
    [
      'reference by patient',
      { resourceType: 'Observation', filters: [f('subject', undefined, 'Patient/p17')] },
    ],
    [
      'patient + date range',
      {
        resourceType: 'Observation',
        filters: [f('patient', undefined, 'p17'), f('date', undefined, 'ge2023-03-01')],
      },
    ],
    [
      'date range',
      {
        resourceType: 'Observation',
        filters: [
          f('date', undefined, 'ge2023-03-01T00:00:00Z'),
          f('date', undefined, 'lt2023-03-01T02:00:00Z'),
        ],
      },
    ],
    ['string prefix', { resourceType: 'Patient', filters: [f('family', undefined, 'fam012')] }],
    ['_lastUpdated', { resourceType: 'Observation', filters: [f('_lastUpdated', undefined, `ge${recent}`)] }],
    [
      'chained patient name',
      { resourceType: 'Observation', filters: [f('patient.family', undefined, 'fam0123')] },
    ],
    [
      '_has',
      {
        resourceType: 'Patient',
        filters: [f('_has', 'Observation:patient:code', 'code-7'), f('family', undefined, 'fam01')],
      },
    ],
    // The planner may drive this from gender or from the GIN index; either way, no scan.
    [
      '_content with another parameter',
      {
        resourceType: 'Patient',
        filters: [f('_content', undefined, 'given42'), f('gender', undefined, 'male')],
      },
    ],
    ['_has alone', { resourceType: 'Patient', filters: [f('_has', 'Observation:patient:_id', 'nope')] }],
    [
      'composite code-value',
      { resourceType: 'Observation', filters: [f('code-value-quantity', undefined, 'code-7$gt150')] },
    ],
  ];

  const special: [string, SearchRequest, string][] = [
    [
      '_text',
      { resourceType: 'Patient', filters: [f('_text', undefined, 'fam0123')] },
      'idx_text_narrative_idx',
    ],
    [
      '_content',
      { resourceType: 'Patient', filters: [f('_content', undefined, 'given42')] },
      'idx_text_content_idx',
    ],
    [
      'near',
      { resourceType: 'Location', filters: [f('near', undefined, '42.36|-71.06|25|km')] },
      'idx_position_box_idx',
    ],
  ];

  it.each(special)('%s uses its index (%s), no sequential scan', async (_name, request, index) => {
    const root = await plan(request);
    expect(seqScans(root)).toEqual([]);
    expect(indexNames(root)).toContain(index);
  });

  it.each(shapes)('%s uses indexes, no sequential scan', async (_name, request) => {
    // The recent timestamp is set in beforeAll; build the request lazily for _lastUpdated.
    const filters = request.filters.map((filter) =>
      filter.code === '_lastUpdated' ? { ...filter, values: [`ge${recent}`] } : filter,
    );
    const root = await plan({ ...request, filters });
    expect(seqScans(root)).toEqual([]);
  });

  // The peer suites' token searches with `_total=accurate` (Observation by LOINC code): the
  // repository counts first, then reads the page with the matches first when they are few. Neither
  // may walk every Observation in id order probing idx_token per row (seconds at 1,000 patients).
  const counted: [string, SearchRequest][] = [
    [
      'token by code, total',
      { resourceType: 'Observation', filters: [f('code', undefined, 'http://loinc.org|code-7')] },
    ],
    [
      'token matching nothing, total',
      { resourceType: 'Observation', filters: [f('code', undefined, 'http://loinc.org|none')] },
    ],
    [
      'combo-code, total',
      { resourceType: 'Observation', filters: [f('combo-code', undefined, 'http://loinc.org|code-9')] },
    ],
    [
      'token and date, total',
      {
        resourceType: 'Observation',
        filters: [f('code', undefined, 'code-7'), f('date', undefined, 'ge2023-06-01')],
      },
    ],
  ];

  async function planOf(query: { sql: string; params: unknown[] }): Promise<PlanNode> {
    const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) ${query.sql}`,
      query.params,
    );
    const raw = rows[0]['QUERY PLAN'];
    return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0].Plan;
  }

  it.each(counted)('%s: count and matches-first page start from the index', async (_name, request) => {
    const compiled = buildSearch({ ...request, count: 5, total: 'accurate' });
    if (!compiled.matchesFirstPage) throw new Error('no matches-first page');
    for (const query of [compiled.count, compiled.matchesFirstPage]) {
      const root = await planOf(query);
      expect(seqScans(root)).toEqual([]);
      // The id-order walk of the whole type is an index scan on (resource_type, id).
      expect(indexNames(root)).not.toContain('resources_type_id_key');
      expect(indexNames(root)).toContain('idx_token_code_idx');
    }
  });

  it('counts and pages the token searches right, with and without a total', async () => {
    const repo = createRepository(db);
    // code-7: n % 60 = 7 for n in 0 … 5,999 (the two late observations have code-5 and code-10).
    const expected = (PATIENTS * OBSERVATIONS_PER_PATIENT) / CODES;
    const byCode = {
      resourceType: 'Observation',
      filters: [f('code', undefined, 'http://loinc.org|code-7')],
    };
    const first = await repo.search({ ...byCode, count: 5, total: 'accurate' });
    expect(first.total).toBe(expected);
    expect(first.resources).toHaveLength(5);
    expect(first.hasMore).toBe(true);
    const all = await repo.search({ ...byCode, count: 1000 });
    const ids = all.resources.map((r) => r.id ?? '');
    expect(ids).toHaveLength(expected);
    expect([...ids].sort()).toEqual(ids.slice().sort());
    expect(first.resources.map((r) => r.id)).toEqual(ids.slice(0, 5));
    const later = await repo.search({ ...byCode, count: 5, offset: 10, total: 'accurate' });
    expect(later.resources.map((r) => r.id)).toEqual(ids.slice(10, 15));
    expect(later.total).toBe(expected);
    const past = await repo.search({ ...byCode, count: 5, offset: expected, total: 'accurate' });
    expect(past).toEqual({ resources: [], total: expected, hasMore: false });
    const none = await repo.search({
      resourceType: 'Observation',
      filters: [f('code', undefined, 'http://loinc.org|none')],
      count: 1,
      total: 'accurate',
    });
    expect(none).toEqual({ resources: [], total: 0, hasMore: false });
    const everything = await repo.search({
      resourceType: 'Observation',
      filters: [],
      count: 1,
      total: 'accurate',
    });
    expect(everything.total).toBe(PATIENTS * OBSERVATIONS_PER_PATIENT + 2);
  });

  it('returns the right rows for the shapes it plans', async () => {
    const repo = createRepository(db);
    const chained = await repo.search({
      resourceType: 'Observation',
      filters: [f('patient.family', undefined, 'fam0123')],
      total: 'accurate',
    });
    expect(chained.total).toBe(OBSERVATIONS_PER_PATIENT);
    const recentOnes = await repo.search({
      resourceType: 'Observation',
      filters: [f('_lastUpdated', undefined, `ge${recent}`)],
    });
    expect(recentOnes.resources).toHaveLength(2);
    const narrative = await repo.search({
      resourceType: 'Patient',
      filters: [f('_text', undefined, 'fam0123')],
      total: 'accurate',
    });
    expect(narrative.resources.map((r) => r.id)).toEqual(['p123']);
    // Given42 is every 97th patient: 13 of 1,200 (42, 139, … 1206 is past the end).
    const content = await repo.search({
      resourceType: 'Patient',
      filters: [f('_content', undefined, 'given42')],
      total: 'accurate',
    });
    expect(content.total).toBe(Math.ceil((PATIENTS - 42) / 97));
    // 25 km around (42.36, -71.06): grid points within reach, counted by the same formula in JS.
    const near = await repo.search({
      resourceType: 'Location',
      filters: [f('near', undefined, '42.36|-71.06|25|km')],
      total: 'accurate',
      count: 100,
    });
    const expected = Array.from({ length: PATIENTS }, (_, i) => location(i)).filter((l) => {
      const { latitude, longitude } = l.position as { latitude: number; longitude: number };
      return haversineKm(42.36, -71.06, latitude, longitude) <= 25;
    }).length;
    expect(expected).toBeGreaterThan(5);
    expect(near.total).toBe(expected);
    const estimate = await repo.search({
      resourceType: 'Observation',
      filters: [],
      count: 1,
      total: 'estimate',
    });
    const exact = PATIENTS * OBSERVATIONS_PER_PATIENT + 2;
    expect(estimate.total).toBeGreaterThan(exact * 0.8);
    expect(estimate.total).toBeLessThan(exact * 1.2);
  });
});
