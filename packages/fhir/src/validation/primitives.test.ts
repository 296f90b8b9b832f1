import { describe, expect, it } from 'vitest';
import { allStructures } from '../definitions/structures.js';
import { checkPrimitive, primitiveTypeNames } from './primitives.js';

const valid: [string, unknown][] = [
  ['boolean', true],
  ['boolean', false],
  ['integer', 0],
  ['integer', -2147483648],
  ['integer', 2147483647],
  ['positiveInt', 1],
  ['unsignedInt', 0],
  ['decimal', 0.1],
  ['decimal', -3],
  ['decimal', 1e-7],
  ['string', 'a'],
  ['string', ' padded '],
  ['string', 'line\nbreak'],
  ['markdown', '# Title\n\n*text*'],
  ['code', 'final'],
  ['code', 'mm[Hg]'],
  ['code', 'two words'],
  ['id', 'a-B.9'],
  ['id', 'x'.repeat(64)],
  ['uri', 'http://loinc.org'],
  ['uri', 'urn:oid:2.16.840.1.113883.6.1'],
  ['url', 'https://example.org/fhir?x=1'],
  ['canonical', 'http://hl7.org/fhir/ValueSet/observation-status|4.0.1'],
  ['oid', 'urn:oid:1.2.840.10008'],
  ['uuid', 'urn:uuid:c757873d-ec9a-4326-a141-556f43239520'],
  ['date', '2024'],
  ['date', '2024-02'],
  ['date', '2024-02-29'],
  ['date', '2000-02-29'],
  ['dateTime', '2024'],
  ['dateTime', '2024-03-01'],
  ['dateTime', '2024-03-01T10:15:00Z'],
  ['dateTime', '2024-03-01T10:15:00.123+05:30'],
  ['dateTime', '2016-12-31T23:59:60Z'],
  ['instant', '2024-03-01T10:15:00.1234-08:00'],
  ['time', '23:59:59'],
  ['time', '08:00:00.5'],
  ['base64Binary', 'SGVsbG8='],
  ['base64Binary', 'SGVs\nbG8h'],
  ['xhtml', '<div xmlns="http://www.w3.org/1999/xhtml">x</div>'],
];

const invalid: [string, unknown, 'value' | 'structure'][] = [
  ['boolean', 'true', 'value'],
  ['boolean', 1, 'value'],
  ['integer', 1.5, 'value'],
  ['integer', 2147483648, 'value'],
  ['integer', '1', 'value'],
  ['positiveInt', 0, 'value'],
  ['unsignedInt', -1, 'value'],
  ['decimal', '1.0', 'value'],
  ['decimal', Number.NaN, 'value'],
  ['string', '', 'value'],
  ['string', ' \t\n', 'value'],
  ['string', 42, 'value'],
  ['string', { text: 'x' }, 'structure'],
  ['string', ['x'], 'structure'],
  ['string', 'x'.repeat(1024 * 1024 + 1), 'value'],
  ['code', ' final', 'value'],
  ['code', 'final ', 'value'],
  ['code', 'two  spaces', 'value'],
  ['code', '', 'value'],
  ['id', 'a_b', 'value'],
  ['id', 'x'.repeat(65), 'value'],
  ['id', '', 'value'],
  ['uri', 'http://exa mple.org', 'value'],
  ['uri', '', 'value'],
  ['oid', '1.2.3', 'value'],
  ['oid', 'urn:oid:3.1', 'value'],
  ['uuid', 'urn:uuid:C757873D-EC9A-4326-A141-556F43239520', 'value'],
  ['uuid', 'c757873d-ec9a-4326-a141-556f43239520', 'value'],
  ['date', '2024-2-1', 'value'],
  ['date', '2024-02-30', 'value'],
  ['date', '1900-02-29', 'value'],
  ['date', '2024-04-31', 'value'],
  ['date', '2024-03-01T10:00:00Z', 'value'],
  ['date', '0000', 'value'],
  ['dateTime', '2024-03-01T10:15Z', 'value'],
  ['dateTime', '2024-03-01T10:15:00', 'value'],
  ['dateTime', '2024-03-01 10:15:00Z', 'value'],
  ['dateTime', '2024-03-01T24:00:00Z', 'value'],
  ['instant', '2024-03-01', 'value'],
  ['instant', '2024-03-01T10:15:00', 'value'],
  ['time', '24:00:00', 'value'],
  ['time', '10:15', 'value'],
  ['base64Binary', 'SGVsbG8', 'value'],
  ['base64Binary', 'SGV=bG8h', 'value'],
  ['base64Binary', 'SGVs*G8h', 'value'],
  ['xhtml', '<p>x</p>', 'value'],
  ['xhtml', 7, 'value'],
];

describe('checkPrimitive', () => {
  it.each(valid)('%s accepts %j', (type, value) => {
    expect(checkPrimitive(type, value)).toBeUndefined();
  });

  it.each(
    invalid.map(
      ([type, value, code]) =>
        [
          type,
          typeof value === 'string' && value.length > 80
            ? `${value.slice(0, 20)}… (${value.length} chars)`
            : value,
          code,
          value,
        ] as const,
    ),
  )('%s rejects %j as %s', (type, _shown, code, value) => {
    expect(checkPrimitive(type, value)?.code).toBe(code);
  });

  it('describes what was expected, for the issue text', () => {
    expect(checkPrimitive('date', '2024-13')?.expected).toBe('a date (YYYY, YYYY-MM or YYYY-MM-DD)');
  });

  it('knows every primitive type of the R4 definitions', () => {
    const defined = [...allStructures()].filter((s) => s.kind === 'primitive-type').map((s) => s.name);
    expect(defined).toHaveLength(20);
    expect(primitiveTypeNames().sort()).toEqual(defined.sort());
  });

  it('accepts a multi-megabyte base64 attachment', () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
    expect(checkPrimitive('base64Binary', data)).toBeUndefined();
    expect(checkPrimitive('base64Binary', `${data}!`)?.code).toBe('value');
  });
});
