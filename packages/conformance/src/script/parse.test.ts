import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverScripts } from './discover.js';
import { parseTestScript } from './parse.js';

describe('parseTestScript', () => {
  it('reads setup, tests, teardown, fixtures and variables', () => {
    const script = parseTestScript({
      resourceType: 'TestScript',
      name: 'X',
      fixture: [{ id: 'f', resource: { reference: '#f' } }],
      variable: [{ name: 'v', expression: 'Patient.id', sourceId: 'f' }],
      setup: { action: [{ operation: { type: { code: 'create' }, sourceId: 'f' } }] },
      test: [{ name: 't', action: [{ assert: { response: 'okay', warningOnly: true } }] }],
      teardown: { action: [{ operation: { type: { code: 'delete' }, targetId: 'f' } }] },
    });
    expect(script.fixture).toEqual([{ id: 'f', autocreate: false, autodelete: false, reference: '#f' }]);
    expect(script.setup[0].operation?.sourceId).toBe('f');
    expect(script.test[0].action[0].assert).toEqual({ response: 'okay', warningOnly: true });
    expect(script.teardown).toHaveLength(1);
  });

  it('refuses what is not a well-formed TestScript, naming the element', () => {
    expect(() => parseTestScript({ resourceType: 'Patient' })).toThrow('Not a TestScript');
    expect(() => parseTestScript([])).toThrow('Not a TestScript');
    expect(() => parseTestScript({ resourceType: 'TestScript', test: [{ action: [{}] }] })).toThrow(
      'TestScript.test[0].action[0] must have exactly one of operation or assert',
    );
    expect(() =>
      parseTestScript({
        resourceType: 'TestScript',
        test: [{ action: [{ assert: { warningOnly: 'no' } }] }],
      }),
    ).toThrow('TestScript.test[0].action[0].assert.warningOnly must be a boolean');
    expect(() => parseTestScript({ resourceType: 'TestScript', fixture: [{}] })).toThrow(
      'fixture[0] needs an id',
    );
    expect(() => parseTestScript({ resourceType: 'TestScript', test: 'x' })).toThrow(
      'TestScript.test must be an array',
    );
  });
});

describe('discoverScripts', () => {
  it('names profile and bucket from folders and skips _archived and fixtures', () => {
    const root = mkdtempSync(join(tmpdir(), 'suite-'));
    const put = (...parts: string[]) => {
      mkdirSync(join(root, ...parts.slice(0, -1)), { recursive: true });
      writeFileSync(join(root, ...parts), '{}');
    };
    put('base', 'MUST', 'a.json');
    put('base', 'MAY', 'b.json');
    put('_archived', 'old', 'MUST', 'c.json');
    put('own', 'crud', 'fixtures', 'patch.json');
    put('own', 'crud', 'd.json');
    put('own', 'notes.txt');
    const found = discoverScripts(root).map((f) => `${f.profile} ${f.bucket} ${f.relativePath}`);
    expect(found).toEqual([
      'base MAY base/MAY/b.json',
      'base MUST base/MUST/a.json',
      'own crud own/crud/d.json',
    ]);
    // Given a profile folder itself, the folder is the profile.
    expect(discoverScripts(join(root, 'base')).map((f) => `${f.profile} ${f.bucket}`)).toEqual([
      'base MAY',
      'base MUST',
    ]);
    expect(basename(discoverScripts(join(root, 'base', 'MUST'))[0].path)).toBe('a.json');
  });
});
