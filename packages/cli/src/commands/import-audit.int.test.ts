import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRepository, openDatabase } from '@hospitium/db';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import { importCommand } from './import.js';

interface ImportEvent {
  type: { code: string };
  subtype: { system: string; code: string }[];
  action: string;
  outcome: string;
  outcomeDesc?: string;
  agent: { who?: { identifier?: { value: string } } }[];
  entity: { what?: { reference?: string; identifier?: { system: string; value: string } } }[];
}

/** `hospitium import` bypasses the API, so it writes its own Import AuditEvent naming the patients loaded. */
describe('hospitium import audit (embedded database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hospitium-import-audit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records one Import event with the operator, the files and every patient the run stored', async () => {
    const bundleFile = join(dir, 'patients.json');
    writeFileSync(
      bundleFile,
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:0c5c1a38-2d9e-4d3f-9a59-1d3b7bb7e001',
            resource: { resourceType: 'Patient', name: [{ family: 'Imported' }] },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            resource: { resourceType: 'Patient', id: 'imp-2', name: [{ family: 'Kept' }] },
            request: { method: 'PUT', url: 'Patient/imp-2' },
          },
        ],
      }),
    );
    const ndjsonFile = join(dir, 'observations.ndjson');
    writeFileSync(
      ndjsonFile,
      `${JSON.stringify({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'weight' },
        subject: { reference: 'Patient/imp-2' },
      })}\n{"resourceType":"Observation","status":"bogus"}\n`,
    );
    const config = loadConfig({ flags: { data: join(dir, 'data') }, env: {}, cwd: dir });
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const summary = await importCommand(config, { files: [bundleFile, ndjsonFile], progress: false });
      expect(summary.resources).toBe(3);
      expect(summary.errors).toHaveLength(1);
    } finally {
      out.mockRestore();
    }

    const db = await openDatabase({ dataDir: config.dataDir });
    try {
      const repository = createRepository(db);
      const events = (
        await repository.search({
          resourceType: 'AuditEvent',
          filters: [{ code: 'type', values: ['110107'] }],
        })
      ).resources as unknown as ImportEvent[];
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({
        subtype: [{ system: 'urn:hospitium:activity', code: 'import' }],
        action: 'C',
        outcome: '4',
      });
      expect(event.outcomeDesc).toContain('1 entr');
      expect(event.agent[0].who?.identifier?.value).toMatch(/^cli:/);
      const created = (
        await repository.search({
          resourceType: 'Patient',
          filters: [{ code: 'family', values: ['Imported'] }],
        })
      ).resources[0];
      const patients = event.entity.flatMap((e) => (e.what?.reference ? [e.what.reference] : [])).sort();
      expect(patients).toEqual([`Patient/${created.id}`, 'Patient/imp-2'].sort());
      const files = event.entity.flatMap((e) =>
        e.what?.identifier?.system === 'urn:hospitium:import-file' ? [e.what.identifier.value] : [],
      );
      expect(files).toEqual(['patients.json', 'observations.ndjson']);
      // Found from the patient's side, like any access.
      const trail = await repository.search({
        resourceType: 'AuditEvent',
        filters: [{ code: 'patient', values: ['Patient/imp-2'] }],
      });
      expect(trail.resources).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
