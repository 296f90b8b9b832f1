import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, corpusMissingReason, corpusPath, prng } from '@hospitium/test-support';
import { describe, expect, it } from 'vitest';
import { buildAck } from '../ack/ack.js';
import { batchItems, parseBatch } from '../batch/batch.js';
import { FrameDecoder, frame } from '../mllp/frame.js';
import { Hl7ParseError } from './errors.js';
import { checkHeader } from './header.js';
import { Hl7Message } from './message.js';
import { salvageHeader } from './salvage.js';

const alphabet = [
  '|',
  '^',
  '~',
  '\\',
  '&',
  '\r',
  '\n',
  '\uFEFF',
  '\x0b',
  '\x1c',
  'MSH',
  'X',
  '\\X0\\',
  '\\.br',
  '',
  ' ',
];

function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const kind = Math.floor(random() * 5);
    if (kind === 0) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(random() * 20));
    else if (kind === 1)
      out = out.slice(0, at) + alphabet[Math.floor(random() * alphabet.length)] + out.slice(at);
    else if (kind === 2)
      out = out.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x250)) + out.slice(at + 1);
    else if (kind === 3) out = out.slice(at) + out.slice(0, at);
    else out = out.slice(0, at);
  }
  return out;
}

describe.skipIf(!corpusDir)(`fuzzing corpus messages ${corpusDir ? '' : `(${corpusMissingReason})`}`, () => {
  it('never throws anything but Hl7ParseError and never hangs (4,000 seeded mutations)', () => {
    const samples = ['ms-fhir-converter', 'cdc-dex'].flatMap((dir) =>
      readdirSync(corpusPath('hl7v2', dir))
        .filter((f) => !f.endsWith('.jsonl'))
        .map((f) => readFileSync(join(corpusPath('hl7v2', dir), f), 'utf8'))
        .filter((t) => t.length < 20_000),
    );
    const random = prng(20260122);
    const started = Date.now();
    let parsed = 0;
    let refused = 0;
    for (let i = 0; i < 4000; i++) {
      const text = mutate(samples[i % samples.length], random);
      try {
        for (const item of batchItems(parseBatch(text))) {
          if (item.ok) {
            parsed++;
            checkHeader(item.message);
            item.message.get('PID-3[1].4.2');
            item.message.segments.forEach((s) => {
              for (let f = 1; f <= s.fieldCount; f++) s.value(f);
            });
            const ack = buildAck(item.message, { code: 'AA' });
            expect(ack).toBeInstanceOf(Hl7Message);
            // Serialising a parsed message and reading it back gives the same message.
            expect(new Hl7Message(item.message.segments, item.message.delimiters).toString()).toBe(
              item.message.toString(),
            );
          } else {
            refused++;
            buildAck(salvageHeader(item.text), { code: 'AR', issues: [item.error.issue] });
          }
        }
      } catch (err) {
        if (!(err instanceof Hl7ParseError)) throw new Error(`case ${i} threw ${String(err)}`);
        refused++;
      }
      const decoder = new FrameDecoder(4096);
      decoder.push(frame(text).subarray(0, Math.floor(random() * text.length)));
    }
    expect(parsed).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(50);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
