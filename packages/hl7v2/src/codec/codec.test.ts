import { describe, expect, it } from 'vitest';
import { parseDateTime } from './datetime.js';
import { defaultDelimiters } from './delimiters.js';
import { Hl7ParseError } from './errors.js';
import { escapeValue, unescapeValue } from './escape.js';
import { checkHeader } from './header.js';
import { parseMessage } from './parse.js';
import { salvageHeader } from './salvage.js';

const adt = [
  'MSH|^~\\&|REG|GOOD HEALTH^1.2.3^ISO|HIS|HOSP|20260101120000+0100||ADT^A01^ADT_A01|MSG1|P|2.5.1',
  'EVN|A01|20260101120000',
  'PID|1||123^^^MRN&1.2.3&ISO^MR~999-99-9999^^^SSA^SS||Doe^Jane^Q||19800102|F',
  'NTE|1||Fish \\T\\ chips\\.br\\second line \\X0D0A\\ \\H\\bold\\N\\ \\F\\\\S\\\\R\\\\E\\',
  'ZPI|custom^value|kept',
].join('\r');

describe('parseMessage', () => {
  it('reads fields, repetitions, components and subcomponents by path', () => {
    const m = parseMessage(adt);
    expect(m.messageCode).toBe('ADT');
    expect(m.triggerEvent).toBe('A01');
    expect(m.messageStructure).toBe('ADT_A01');
    expect(m.controlId).toBe('MSG1');
    expect(m.version).toBe('2.5.1');
    expect(m.get('PID-3[1].1')).toBe('123');
    expect(m.get('PID-3[1].4')).toBe('MRN&1.2.3&ISO');
    expect(m.get('PID-3[1].4.2')).toBe('1.2.3');
    expect(m.get('PID-3[2].5')).toBe('SS');
    expect(m.get('PID-3[3].1')).toBeUndefined();
    expect(m.get('PID-5.2')).toBe('Jane');
    expect(m.get('MSH-1')).toBe('|');
    expect(m.get('MSH-2')).toBe('^~\\&');
    expect(m.get('MSH-4.2')).toBe('1.2.3');
    expect(m.get('ZPI-1.2')).toBe('value');
    expect(m.get('OBX-5')).toBeUndefined();
    expect(m.header.repetitions(3)).toBe(1);
    expect(m.segment('PID')?.repetitions(3)).toBe(2);
  });

  it('decodes escape sequences and keeps unknown ones', () => {
    const m = parseMessage(adt);
    expect(m.get('NTE-3')).toBe('Fish & chips\nsecond line \r\n \\H\\bold\\N\\ |^~\\');
  });

  it('honours custom delimiters from MSH-1 and MSH-2', () => {
    const m = parseMessage('MSH#@*$%#A#B#C#D#2026##ADT@A08#X1#P#2.4\nPID#1##55@@@H%1.2%ISO*66#');
    expect(m.triggerEvent).toBe('A08');
    expect(m.get('PID-3[1].4.2')).toBe('1.2');
    expect(m.get('PID-3[2]')).toBe('66');
    expect(m.toString()).toBe('MSH#@*$%#A#B#C#D#2026##ADT@A08#X1#P#2.4\rPID#1##55@@@H%1.2%ISO*66#\r');
  });

  it('tolerates a BOM, LF and CRLF line endings and blank lines', () => {
    const m = parseMessage(`\uFEFF${adt.replaceAll('\r', '\r\n')}\r\n\r\n`);
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID', 'NTE', 'ZPI']);
    expect(m.toString()).toBe(`${adt}\r`);
  });

  it('round-trips exactly, empty fields and trailing separators included', () => {
    const text = 'MSH|^~\\&|A||||||ORU^R01|1|P|2.3|\rOBX|1|NM|^^^||5|||||||\rZZZ\r';
    expect(parseMessage(text).toString()).toBe(text);
  });

  it.each([
    ['', /Empty message/],
    ['PID|1', /must start with MSH/],
    ['MSH|&&&&|A', /distinct/],
    ['MSH|^~|A', /4 encoding characters/],
    ['MSHA^~\\&|', /field separator/],
    ['MSH|^~\\&|A\rP1|x', /not a segment/],
    ['MSH|^~\\&|A\rpid|x', /not a segment/],
    ['MSH|^~\\&|A\rMSH|^~\\&|B', /second MSH/],
  ])('refuses %j with an Hl7ParseError', (text, message) => {
    let error: unknown;
    try {
      parseMessage(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Hl7ParseError);
    expect((error as Hl7ParseError).issue.text).toMatch(message);
    expect((error as Hl7ParseError).issue.code).toMatch(/^1\d\d$/);
  });
});

describe('checkHeader', () => {
  it('names missing MSH-9, MSH-10 and MSH-12 and unsupported versions', () => {
    const issues = checkHeader(parseMessage('MSH|^~\\&|A|B|C|D|2026||||P'));
    expect(issues.map((i) => `${i.code} ${i.location?.field}`)).toEqual(['101 9', '101 10', '101 12']);
    const v = checkHeader(parseMessage('MSH|^~\\&|A|B|C|D|2026||ADT^A01|1|P|3.0'));
    expect(v).toMatchObject([{ code: '203', location: { field: 12 } }]);
    expect(checkHeader(parseMessage(adt))).toEqual([]);
  });
});

describe('escapes', () => {
  it('escape then unescape gives back any text', () => {
    const text = 'a|b^c~d\\e&f\ng\u0001h';
    const escaped = escapeValue(text, defaultDelimiters);
    expect(escaped).toBe('a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f\\.br\\g\\X01\\h');
    expect(unescapeValue(escaped, defaultDelimiters)).toBe(text);
  });

  it('keeps an unterminated escape as written', () => {
    expect(unescapeValue('50\\% off', defaultDelimiters)).toBe('50\\% off');
  });
});

describe('datetime', () => {
  it.each([
    ['2026', '2026'],
    ['202601', '2026-01'],
    ['20260102', '2026-01-02'],
    ['202601021304', '2026-01-02T13:04:00Z'],
    ['20260102130405.12-0500', '2026-01-02T13:04:05.12-05:00'],
    ['198908181126+0215', '1989-08-18T11:26:00+02:15'],
    ['20261302', undefined],
    ['yesterday', undefined],
  ])('%s → %s', (input, expected) => {
    expect(parseDateTime(input)).toBe(expected);
  });
});

describe('salvageHeader', () => {
  it('reads the control id of a message whose delimiters are broken', () => {
    expect(salvageHeader('MSH|&&&&|APP|FAC|||2026||ORU^R01|CTRL9|D|2.5.1')).toMatchObject({
      sendingApplication: 'APP',
      controlId: 'CTRL9',
      version: '2.5.1',
    });
    expect(salvageHeader('garbage')).toEqual({});
  });
});
