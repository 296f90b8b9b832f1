import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from './report/text.js';
import { runSuites } from './suite.js';

/** A tiny real HTTP server: /fhir/metadata answers 200, everything else 404. */
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const ok = req.url === '/fhir/metadata';
    res.writeHead(ok ? 200 : 404, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify({ resourceType: ok ? 'CapabilityStatement' : 'OperationOutcome' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/fhir/`;
});
afterAll(() => server.close());

const script = (name: string, path: string, expected: string) => ({
  resourceType: 'TestScript',
  name,
  test: [
    {
      name: `${name} test`,
      action: [
        { operation: { type: { code: 'read' }, url: path } },
        { assert: { label: `status ${expected}`, responseCode: expected, warningOnly: false } },
      ],
    },
  ],
});

describe('runSuites over HTTP', () => {
  it('runs every script, tabulates per profile and bucket and ends with the totals line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'suite-'));
    const put = (rel: string, json: unknown) => {
      const file = join(root, rel);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    };
    put('prof/MUST/meta.json', script('Meta', 'metadata', '200'));
    put('prof/MUST/missing.json', script('Missing', 'Patient/x', '200'));
    put('prof/MAY/gone.json', script('Gone', 'Patient/x', '404'));
    put('prof/MAY/broken.json', '{ not json');
    put('_archived/prof/MUST/old.json', script('Old', 'metadata', '500'));

    const report = await runSuites({ base, dirs: [root] });
    expect(report.scripts.map((s) => `${s.file.relativePath} ${s.result.passed}`)).toEqual([
      'prof/MAY/broken.json false',
      'prof/MAY/gone.json true',
      'prof/MUST/meta.json true',
      'prof/MUST/missing.json false',
    ]);
    const text = formatReport(report);
    expect(text).toMatch(/prof\s+MAY\s+1\/2/);
    expect(text).toMatch(/prof\s+MUST\s+1\/2/);
    expect(text).toMatch(/prof\s+all\s+2\/4/);
    expect(text).toContain('Missing test: status 200: responseCode equals 200, actual 404');
    expect(text).toContain('setup: cannot load:');
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('2 passed, 2 failed');
    expect(lines.filter((l) => /^\d+ passed, \d+ failed$/.test(l))).toHaveLength(1);
  });

  it('an unreachable server fails scripts with the network error, it does not crash', async () => {
    const root = mkdtempSync(join(tmpdir(), 'suite-'));
    mkdirSync(join(root, 'p', 'MUST'), { recursive: true });
    writeFileSync(join(root, 'p', 'MUST', 'a.json'), JSON.stringify(script('A', 'metadata', '200')));
    const report = await runSuites({ base: 'http://127.0.0.1:9/fhir', dirs: [root] });
    expect(report.failed).toBe(1);
    expect(formatReport(report)).toMatch(/read: fetch failed/);
  });
});
