import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@hospitium/db';
import type { Bundle } from '@hospitium/fhir';
import { generatePopulation } from '@hospitium/seed';
import { afterAll, describe, expect, it } from 'vitest';
import { runHospitium } from '../testing/process.js';

/** `hospitium seed` as a real process: writing Bundle files, loading them, loading directly, bad flags. */
const root = mkdtempSync(join(tmpdir(), 'hospitium-seed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Stored resources by type; the audit trail (an import writes its AuditEvent) is counted apart. */
async function storedCounts(dataDir: string, auditEvents = false): Promise<Map<string, number>> {
  const db = await openDatabase({ dataDir });
  try {
    const rows = await db.query<{ resource_type: string; n: number }>(
      `SELECT resource_type, count(*)::int AS n FROM resources WHERE NOT deleted AND (resource_type = 'AuditEvent') = $1 GROUP BY resource_type`,
      [auditEvents],
    );
    return new Map(rows.rows.map((r) => [r.resource_type, r.n]));
  } finally {
    await db.close();
  }
}

function expectedCounts(patients: number, seed: string): Map<string, number> {
  const population = generatePopulation({ patients, seed });
  const counts = new Map<string, number>();
  for (const b of [population.shared, ...population.patients()]) {
    for (const e of b.entry ?? [])
      counts.set(e.resource!.resourceType, (counts.get(e.resource!.resourceType) ?? 0) + 1);
  }
  return counts;
}

describe('hospitium seed', () => {
  it('--out writes one transaction Bundle per patient plus the shared one, which import loads', async () => {
    const out = join(root, 'bundles');
    const write = runHospitium(['seed', '--patients', '3', '--seed', 'cli', '--out', out]);
    expect(await write.exited, write.output()).toBe(0);
    expect(write.output()).toMatch(/Wrote \d+ resources for 3 patient\(s\) in 4 file\(s\)/);
    expect(readdirSync(out)).toEqual([
      '_shared.json',
      'patient-0000001.json',
      'patient-0000002.json',
      'patient-0000003.json',
    ]);
    const second = JSON.parse(readFileSync(join(out, 'patient-0000002.json'), 'utf8')) as Bundle;
    const generated = [...generatePopulation({ patients: 3, seed: 'cli' }).patients()];
    expect(second).toEqual(generated[1]);

    const data = join(root, 'imported');
    const load = runHospitium(['import', out, '--data', data]);
    expect(await load.exited, load.output()).toBe(0);
    expect(load.output()).toMatch(/0 error\(s\)/);
    expect(await storedCounts(data)).toEqual(expectedCounts(3, 'cli'));
    expect(await storedCounts(data, true)).toEqual(new Map([['AuditEvent', 1]])); // the import run

    const again = runHospitium(['seed', '--patients', '1', '--out', out]);
    expect(await again.exited).toBe(1);
    expect(again.output()).toMatch(/not empty/);
  }, 120_000);

  it('loads the population straight into the embedded database with a summary and a report', async () => {
    const data = join(root, 'seeded');
    const report = join(root, 'report.json');
    const seed = runHospitium([
      'seed',
      '--patients',
      '3',
      '--seed',
      'cli',
      '--data',
      data,
      '--report',
      report,
    ]);
    expect(await seed.exited, seed.output()).toBe(0);
    const expected = expectedCounts(3, 'cli');
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(seed.output()).toContain(`Imported ${total} resources from 3 generated patient(s) (seed cli)`);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ resources: total, errors: [] });
    expect(await storedCounts(data)).toEqual(expected);
  }, 120_000);

  it('lists every bad flag at once and exits non-zero without touching the database', async () => {
    const bad = runHospitium([
      'seed',
      '--patients',
      '0',
      '--as-of',
      'yesterday',
      '--seed',
      ' ',
      '--data',
      join(root, 'none'),
    ]);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/--patients must be an integer from 1/);
    expect(bad.output()).toMatch(/--as-of must be a date/);
    expect(bad.output()).toMatch(/--seed must not be empty/);
    expect(readdirSync(root)).not.toContain('none');
    const missing = runHospitium(['seed']);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toMatch(/--patients N/);
  });

  it('reports a file in --out that cannot be written', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const res = runHospitium(['seed', '--patients', '1', '--out', join(file, 'sub')]);
    expect(await res.exited).toBe(1);
    expect(res.output()).toMatch(/hospitium: /);
  });
});
