import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { createRepository } from '../repository/repository.js';
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

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode, out: string[] = []): string[] {
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) out.push(node['Relation Name']);
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
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
    await new Promise((resolve) => setTimeout(resolve, 20));
    recent = new Date().toISOString();
    await repo.createResources([observation(1, 0), observation(2, 0)]);
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
    ['_has alone', { resourceType: 'Patient', filters: [f('_has', 'Observation:patient:_id', 'nope')] }],
    [
      'composite code-value',
      { resourceType: 'Observation', filters: [f('code-value-quantity', undefined, 'code-7$gt150')] },
    ],
  ];

  it.each(shapes)('%s uses indexes, no sequential scan', async (_name, request) => {
    // The recent timestamp is set in beforeAll; build the request lazily for _lastUpdated.
    const filters = request.filters.map((filter) =>
      filter.code === '_lastUpdated' ? { ...filter, values: [`ge${recent}`] } : filter,
    );
    const root = await plan({ ...request, filters });
    expect(seqScans(root)).toEqual([]);
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
