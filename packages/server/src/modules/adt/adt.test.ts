import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { admitSources } from './codes.js';
import { type BoardChange, boardChange, boardPayload } from './live/notify.js';
import { OperationInput } from './parameters.js';

const body = (...parameter: Record<string, unknown>[]) => ({ resourceType: 'Parameters', parameter });

/** The 400's text, or a failure when the call did not throw one. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isOperationOutcomeError(err)) {
      expect(err.status).toBe(400);
      return err.outcome.issue
        .map((i) => `${i.details?.text ?? i.diagnostics} @${i.expression?.join(',')}`)
        .join(' | ');
    }
    throw err;
  }
  throw new Error('expected a 400');
}

describe('ADT operation input', () => {
  const known = ['patient', 'bed', 'admitSource', 'time', 'reason'];

  it('reads references (relative or absolute), codes (valueCode or valueCoding), strings and times', () => {
    const input = new OperationInput(
      'admit',
      body(
        { name: 'patient', valueReference: { reference: 'http://x/fhir/Patient/p-1' } },
        { name: 'bed', valueReference: { reference: 'Location/b.2' } },
        {
          name: 'admitSource',
          valueCoding: { system: 'http://terminology.hl7.org/CodeSystem/admit-source', code: 'emd' },
        },
        { name: 'reason', valueString: '  chest pain  ' },
        { name: 'time', valueDateTime: '2026-01-02T03:04:05+01:00' },
      ),
      known,
    );
    expect(input.reference('patient', 'Patient', true)).toBe('p-1');
    expect(input.reference('bed', 'Location', true)).toBe('b.2');
    expect(
      input.code('admitSource', 'http://terminology.hl7.org/CodeSystem/admit-source', admitSources),
    ).toBe('emd');
    expect(input.string('reason')).toBe('chest pain');
    expect(input.time('time', new Date('2026-06-01T00:00:00Z'))).toBe('2026-01-02T02:04:05.000Z');
    expect(new OperationInput('admit', undefined, known).time('time', new Date('2026-06-01T00:00:00Z'))).toBe(
      '2026-06-01T00:00:00.000Z',
    );
  });

  it('refuses every malformed input with a 400 naming the parameter', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(refusal(() => new OperationInput('admit', { resourceType: 'Bundle' }, known))).toContain(
      'takes a Parameters',
    );
    expect(refusal(() => new OperationInput('admit', body({ valueString: 'x' }), known))).toContain(
      'needs a name',
    );
    expect(
      refusal(() => new OperationInput('admit', body({ name: 'bedd', valueString: 'x' }), known)),
    ).toContain("no parameter 'bedd'");
    const twice = new OperationInput(
      'admit',
      body({ name: 'reason', valueString: 'a' }, { name: 'reason', valueString: 'b' }),
      known,
    );
    expect(refusal(() => twice.string('reason'))).toContain("'reason' may be given once");
    const wrong = new OperationInput(
      'admit',
      body(
        { name: 'patient', valueString: 'Patient/1' },
        { name: 'bed', valueReference: { reference: 'Location/has space' } },
        { name: 'admitSource', valueCoding: { system: 'http://other', code: 'emd' } },
        { name: 'reason', valueString: '   ' },
        { name: 'time', valueDateTime: '2026-01-02' },
      ),
      known,
    );
    expect(refusal(() => wrong.reference('patient', 'Patient', true))).toContain(
      "@Parameters.parameter.where(name='patient')",
    );
    expect(refusal(() => wrong.reference('bed', 'Location', true))).toContain('valueReference to a Location');
    expect(
      refusal(() =>
        wrong.code('admitSource', 'http://terminology.hl7.org/CodeSystem/admit-source', admitSources),
      ),
    ).toContain('must be a code of');
    expect(refusal(() => wrong.string('reason'))).toContain('non-empty');
    expect(refusal(() => wrong.time('time', now))).toContain('time and time zone');
    const long = new OperationInput('admit', body({ name: 'reason', valueString: 'x'.repeat(1001) }), known);
    expect(refusal(() => long.string('reason'))).toContain('longer than 1000');
    const future = new OperationInput(
      'admit',
      body({ name: 'time', valueDateTime: '2026-06-01T00:06:00Z' }),
      known,
    );
    expect(refusal(() => future.time('time', now))).toContain('future');
    expect(
      refusal(() => new OperationInput('admit', body(), known).reference('bed', 'Location', true)),
    ).toContain("needs the parameter 'bed'");
  });
});

describe('bed board change events', () => {
  const task = (code: string): Resource =>
    ({
      resourceType: 'Task',
      id: 't1',
      code: { coding: [{ system: 'http://hospitium.org/fhir/CodeSystem/task-code', code }] },
      focus: { reference: 'Location/b1' },
    }) as Resource;

  it('names the beds a change touches, and ignores what the board does not show', () => {
    expect(boardChange({ after: { resourceType: 'Location', id: 'b1' } })).toEqual({
      type: 'Location',
      id: 'b1',
      beds: ['b1'],
    });
    const before = {
      resourceType: 'Encounter',
      id: 'e1',
      location: [{ location: { reference: 'Location/b1' } }],
    } as Resource;
    const after = {
      ...before,
      location: [{ location: { reference: 'Location/b1' } }, { location: { reference: 'Location/b2' } }],
    };
    expect(boardChange({ before, after })).toEqual({ type: 'Encounter', id: 'e1', beds: ['b1', 'b2'] });
    expect(boardChange({ before })?.beds).toEqual(['b1']);
    expect(boardChange({ after: task('bed-cleaning') })).toEqual({ type: 'Task', id: 't1', beds: ['b1'] });
    expect(boardChange({ after: task('something-else') })).toBeUndefined();
    expect(boardChange({ after: { resourceType: 'Observation', id: 'o1' } })).toBeUndefined();
  });

  it('keeps a notification under the 8000-byte limit: a big batch says "reload everything"', () => {
    const small: BoardChange[] = [{ type: 'Location', id: 'b1', beds: ['b1'] }];
    expect(JSON.parse(boardPayload(small))).toEqual({ changes: small });
    const big = Array.from({ length: 300 }, (_, i) => ({
      type: 'Location' as const,
      id: `bed-${i}`,
      beds: [`bed-${i}`],
    }));
    expect(JSON.parse(boardPayload(big))).toEqual({ changes: [], more: true });
  });
});
