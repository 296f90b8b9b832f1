import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOperationOutcomeError } from '@hospitium/fhir';
import { checkHeader, Hl7ParseError, parseMessage } from '@hospitium/hl7v2';
import { corpusDir, corpusMissingReason, corpusPath, prng } from '@hospitium/test-support';
import { describe, expect, it } from 'vitest';
import { mapMessage, supportedMessages } from './map-message.js';

const values = [
  '',
  '""',
  '^',
  '~',
  '&',
  'X',
  '-1',
  '1e999',
  '2026',
  '20261399',
  'ED^^^Base64^%%',
  '\\T\\',
  'CA',
  'DC',
  'ZZ',
];

/**
 * Structure-aware mutations that get past the codec and reach the mappers: a field emptied or
 * replaced, a segment dropped, duplicated or moved (the MSH stays, so the message still parses).
 */
function mutate(text: string, random: () => number): string {
  const segments = text.split(/\r\n|\r|\n/).filter(Boolean);
  const edits = 1 + Math.floor(random() * 5);
  for (let e = 0; e < edits; e++) {
    const at = 1 + Math.floor(random() * Math.max(1, segments.length - 1));
    if (at >= segments.length) continue;
    const kind = Math.floor(random() * 4);
    if (kind === 0) segments.splice(at, 1);
    else if (kind === 1) segments.splice(at, 0, segments[at]);
    else if (kind === 2)
      segments.splice(1 + Math.floor(random() * (segments.length - 1)), 0, ...segments.splice(at, 1));
    else {
      const fields = segments[at].split('|');
      const f = 1 + Math.floor(random() * Math.max(1, fields.length - 1));
      fields[f] = values[Math.floor(random() * values.length)];
      segments[at] = fields.join('|');
    }
  }
  return segments.join('\r');
}

describe.skipIf(!corpusDir)(`fuzzing the mappings ${corpusDir ? '' : `(${corpusMissingReason})`}`, () => {
  it('maps or refuses with an OperationOutcome naming a location, never anything else (3,000 seeded mutations)', () => {
    const dir = corpusPath('hl7v2', 'ms-fhir-converter');
    const samples = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .filter((t) => {
        try {
          const m = parseMessage(t);
          return supportedMessages.has(`${m.messageCode}^${m.triggerEvent}`);
        } catch {
          return false;
        }
      });
    expect(samples.length).toBeGreaterThan(30);
    const random = prng(20261207);
    let mapped = 0;
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const text = mutate(samples[i % samples.length], random);
      let message: ReturnType<typeof parseMessage>;
      try {
        message = parseMessage(text);
      } catch (err) {
        if (err instanceof Hl7ParseError) continue;
        throw err;
      }
      if (
        checkHeader(message).length ||
        !supportedMessages.has(`${message.messageCode}^${message.triggerEvent}`)
      )
        continue;
      try {
        const result = mapMessage(message, { timezoneOffset: 'Z' });
        expect(result.bundle.entry?.length).toBe(result.sources.length);
        mapped++;
      } catch (err) {
        if (!isOperationOutcomeError(err)) throw new Error(`mutation ${i} threw ${String(err)}:\n${text}`);
        expect(err.outcome.issue[0].expression?.[0]).toMatch(/^[A-Z][A-Z0-9]{2}/);
        refused++;
      }
    }
    expect(mapped).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(50);
  });
});
