import { describe, expect, it } from 'vitest';
import { escapeLike, splitEscaped, unescapeValue } from './escape.js';
import { parseSearchNumber } from './params/number.js';
import { splitPrefix } from './prefix.js';

describe('splitPrefix', () => {
  it('reads the nine prefixes before a number or date, and defaults to eq', () => {
    expect(splitPrefix('ge2020')).toEqual({ prefix: 'ge', rest: '2020' });
    expect(splitPrefix('lt-5')).toEqual({ prefix: 'lt', rest: '-5' });
    expect(splitPrefix('ap.5')).toEqual({ prefix: 'ap', rest: '.5' });
    expect(splitPrefix('2020')).toEqual({ prefix: 'eq', rest: '2020' });
    expect(splitPrefix('gtx')).toEqual({ prefix: 'eq', rest: 'gtx' });
    expect(splitPrefix('xx2020')).toEqual({ prefix: 'eq', rest: 'xx2020' });
  });
});

describe('escapes', () => {
  it('splits on unescaped separators only', () => {
    expect(splitEscaped('http://s|a\\|b', '|')).toEqual(['http://s', 'a|b']);
    expect(splitEscaped('|code', '|')).toEqual(['', 'code']);
    expect(splitEscaped('sys|', '|')).toEqual(['sys', '']);
    expect(unescapeValue('a\\,b\\\\c')).toBe('a,b\\c');
  });

  it('escapes LIKE wildcards', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});

describe('parseSearchNumber', () => {
  it('keeps the precision the value was written with', () => {
    expect(parseSearchNumber('100')).toEqual({
      value: 100,
      halfUnit: 0.5,
      text: '100',
      low: '99.5',
      high: '100.5',
    });
    expect(parseSearchNumber('1.50')).toEqual({
      value: 1.5,
      halfUnit: 0.005,
      text: '1.50',
      low: '1.495',
      high: '1.505',
    });
    expect(parseSearchNumber('1e2')).toMatchObject({ value: 100, halfUnit: 50, low: '50', high: '150' });
    expect(parseSearchNumber('-0.25')).toMatchObject({ low: '-0.255', high: '-0.245' });
    // All 16 significant digits: the bounds stay exact where floating point would collapse them.
    expect(parseSearchNumber('81.36432041881469')).toMatchObject({
      low: '81.364320418814685',
      high: '81.364320418814695',
    });
  });

  it('rejects what is not a decimal', () => {
    for (const bad of ['', 'abc', '1,5', 'NaN', 'Infinity', '1e', '--1', '0x10'])
      expect(parseSearchNumber(bad)).toBeUndefined();
  });
});
