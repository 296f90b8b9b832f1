import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../codec/errors.js';
import { parseMessage } from '../codec/parse.js';
import { salvageHeader } from '../codec/salvage.js';
import { buildAck, readAck } from './ack.js';

const msg = parseMessage('MSH|^~\\&|LAB|LABFAC^1.2^ISO|HIS|HOSP|20260101||ORU^R01^ORU_R01|C42|P|2.5.1');
const now = new Date('2026-01-02T03:04:05Z');

describe('buildAck', () => {
  it('answers AA with sender and receiver swapped and MSA-2 echoing MSH-10', () => {
    const ack = buildAck(msg, { code: 'AA', controlId: 'A1', now });
    expect(ack.toString()).toBe(
      'MSH|^~\\&|HIS|HOSP|LAB|LABFAC^1.2^ISO|20260102030405+0000||ACK^R01^ACK|A1|P|2.5.1\rMSA|AA|C42\r',
    );
  });

  it('names segment, field and problem in ERR with a table 0357 code', () => {
    const ack = buildAck(msg, {
      code: 'AE',
      controlId: 'A2',
      now,
      issues: [
        {
          code: ErrorCode.requiredFieldMissing,
          severity: 'E',
          location: { segment: 'PID', sequence: 1, field: 3 },
          text: 'PID-3 | patient identifier is required',
        },
      ],
    });
    const err = ack.segment('ERR');
    expect(ack.get('MSA-1')).toBe('AE');
    expect(err?.toString()).toBe(
      'ERR||PID^1^3|101^Required field missing^HL70357|E||||PID-3 \\F\\ patient identifier is required',
    );
    expect(readAck(parseMessage(ack.toString()))).toEqual({
      code: 'AE',
      controlId: 'C42',
      errors: ['PID-3 | patient identifier is required'],
    });
  });

  it('fills ERR-1 for v2.3/2.4 peers and answers salvaged headers', () => {
    const ack = buildAck(salvageHeader('MSH|&&&&|APP|FAC|R|RF|2026||ADT^A01|X9|P|2.3'), {
      code: 'AR',
      controlId: 'A3',
      now,
      issues: [
        { code: ErrorCode.dataTypeError, severity: 'E', location: { segment: 'MSH', field: 2 }, text: 'bad' },
      ],
    });
    expect(ack.get('MSH-5')).toBe('APP');
    expect(ack.get('MSA-2')).toBe('X9');
    expect(ack.segment('ERR')?.toString()).toBe(
      'ERR|MSH^^2^102&Data type error&HL70357|MSH^^2|102^Data type error^HL70357|E||||bad',
    );
  });
});
