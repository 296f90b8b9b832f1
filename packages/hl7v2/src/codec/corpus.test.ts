import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusMissingReason, corpusPath } from '@hospitium/test-support';
import { describe, expect, it } from 'vitest';
import { batchItems, parseBatch } from '../batch/batch.js';
import { Hl7ParseError } from './errors.js';
import { checkHeader } from './header.js';
import { splitLines } from './parse.js';

/** Files the corpus documents as deliberately broken, and what must be reported for each. */
const broken: Record<string, RegExp> = {
  'Lyme_WithBadDelimiters.txt': /delimiters/,
  'PHLIP_FLU_2.5.1_NO_MSH12.txt': /MSH-12/,
};

function corpusFiles(): { name: string; path: string }[] {
  if (!corpusDir) return [];
  return ['ms-fhir-converter', 'cdc-dex'].flatMap((dir) =>
    readdirSync(corpusPath('hl7v2', dir))
      .filter((f) => !f.endsWith('.jsonl') && !f.endsWith('.md'))
      .map((f) => ({ name: f, path: join(corpusPath('hl7v2', dir), f) })),
  );
}

describe.skipIf(!corpusDir)(`HL7 v2 corpus ${corpusDir ? '' : `(${corpusMissingReason})`}`, () => {
  const files = corpusFiles();

  it('finds the corpus messages', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it.each(files.filter((f) => !(f.name in broken)))(
    '$name parses, has a sound header and round-trips exactly',
    ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const file = parseBatch(text);
      const items = batchItems(file);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        if (!item.ok) throw item.error;
        expect(checkHeader(item.message)).toEqual([]);
        expect(item.message.toString()).toBe(item.text);
      }
      // The whole file, envelopes included, comes back modulo line endings.
      const lines = splitLines(text);
      const out = [
        ...(file.header ? [file.header.toString()] : []),
        ...file.batches.flatMap((b) => [
          ...(b.header ? [b.header.toString()] : []),
          ...b.items.flatMap((i) => (i.ok ? splitLines(i.message.toString()) : [])),
          ...(b.trailer ? [b.trailer.toString()] : []),
        ]),
        ...(file.trailer ? [file.trailer.toString()] : []),
      ];
      expect(out).toEqual(lines);
    },
  );

  it.each(Object.entries(broken))('%s is reported with a structured error', (name, expected) => {
    const path = files.find((f) => f.name === name)?.path;
    expect(path).toBeDefined();
    const items = batchItems(parseBatch(readFileSync(path as string, 'utf8')));
    const problems = items.flatMap((item) =>
      item.ok ? checkHeader(item.message).map((i) => i.text) : [item.error.issue.text],
    );
    expect(problems.join('\n')).toMatch(expected);
    for (const item of items) if (!item.ok) expect(item.error).toBeInstanceOf(Hl7ParseError);
  });

  it('reads the 8-message batch without envelopes and the 111 KB message', () => {
    const eight = files.find((f) => f.name === 'GenV1_Batch_No_headers_eightMSHs.txt');
    expect(batchItems(parseBatch(readFileSync(eight?.path as string, 'utf8')))).toHaveLength(8);
    const big = files.find((f) => f.name === 'bigmessage.txt');
    const items = batchItems(parseBatch(readFileSync(big?.path as string, 'utf8')));
    expect(items.every((i) => i.ok)).toBe(true);
  });
});
