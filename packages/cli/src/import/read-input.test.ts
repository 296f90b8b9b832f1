import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type ImportChunk, readImportFile } from './read-input.js';

async function collect(path: string): Promise<ImportChunk[]> {
  const out: ImportChunk[] = [];
  for await (const c of readImportFile(path)) out.push(c);
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'hospitium-import-'));

describe('readImportFile', () => {
  it('reads a gzipped NDJSON file line by line, reporting bad lines with their numbers', async () => {
    const lines = [
      '\uFEFF{"resourceType":"Patient","id":"a"}',
      '',
      '{"resourceType":"Patient","id":"b"}',
      '{not json',
      '{"id":"no-type"}',
      '{"resourceType":"Observation","id":"c"}',
    ];
    const path = join(dir, 'export.ndjson.gz');
    writeFileSync(path, gzipSync(lines.join('\r\n')));
    const chunks = await collect(path);
    const errors = chunks.filter((c) => c.kind === 'error');
    expect(errors.map((e) => (e.kind === 'error' ? [e.line, e.message] : []))).toEqual([
      [4, expect.stringMatching(/not valid JSON/)],
      [5, 'not a FHIR resource (no resourceType)'],
    ]);
    const resources = chunks.flatMap((c) => (c.kind === 'resources' ? c.resources : []));
    expect(resources.map((r) => [r.line, r.resource.id])).toEqual([
      [1, 'a'],
      [3, 'b'],
      [6, 'c'],
    ]);
  });

  it('reads a Bundle and a single resource from .json files', async () => {
    const bundlePath = join(dir, 'b.json');
    writeFileSync(bundlePath, JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [] }));
    expect((await collect(bundlePath))[0]).toMatchObject({ kind: 'bundle', bundle: { type: 'transaction' } });
    const single = join(dir, 'p.json');
    writeFileSync(single, JSON.stringify({ resourceType: 'Patient', id: 'x' }));
    expect((await collect(single))[0]).toMatchObject({
      kind: 'resources',
      resources: [{ resource: { id: 'x' } }],
    });
  });

  it('reports a broken JSON file instead of throwing', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"resourceType": "Bundle", ');
    const [chunk] = await collect(path);
    expect(chunk).toMatchObject({ kind: 'error', message: expect.stringMatching(/not valid JSON/) });
  });

  it('recognises NDJSON content in a .json file', async () => {
    const path = join(dir, 'lines.json');
    writeFileSync(path, '{"resourceType":"Patient","id":"a"}\n{"resourceType":"Patient","id":"b"}\n');
    const resources = (await collect(path)).flatMap((c) => (c.kind === 'resources' ? c.resources : []));
    expect(resources).toHaveLength(2);
  });
});
