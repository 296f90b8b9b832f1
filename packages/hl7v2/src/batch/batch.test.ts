import { describe, expect, it } from 'vitest';
import { batchItems, parseBatch } from './batch.js';

const m = (id: string) => `MSH|^~\\&|A|B|C|D|2026||ADT^A08|${id}|P|2.5\rPID|1||${id}`;

describe('parseBatch', () => {
  it('reads FHS/BHS/BTS/FTS envelopes and checks their counts', () => {
    const text = [
      'FHS|^~\\&|A',
      'BHS|^~\\&|A',
      m('1'),
      m('2'),
      'BTS|2',
      'BHS|^~\\&|A',
      m('3'),
      'BTS|5',
      'FTS|2',
    ].join('\n');
    const file = parseBatch(text);
    expect(file.batches).toHaveLength(2);
    expect(batchItems(file).map((i) => (i.ok ? i.message.controlId : 'x'))).toEqual(['1', '2', '3']);
    expect(file.issues.map((i) => i.text)).toEqual(['BTS-1 declares 5 messages, the file holds 1']);
    expect(file.header?.value(3)).toBe('A');
  });

  it('keeps a broken message as an error and reads the others', () => {
    const items = batchItems(parseBatch([m('1'), 'MSH|&&&&|bad', m('3')].join('\r\n')));
    expect(items.map((i) => i.ok)).toEqual([true, false, true]);
  });

  it('refuses segments outside any message', () => {
    expect(() => parseBatch('PID|1\r')).toThrow(/outside any message/);
  });
});
