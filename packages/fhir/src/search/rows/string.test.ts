import { describe, expect, it } from 'vitest';
import type { Resource } from '../../types.js';
import { extractIndexes, normaliseString } from '../index.js';

function strings(resource: Resource, param: string) {
  return extractIndexes(resource)
    .string.filter((r) => r.param === param)
    .map(({ value, exact }) => [value, exact]);
}

describe('normaliseString', () => {
  it('removes accents, lower-cases and collapses whitespace', () => {
    expect(normaliseString('Renée  Dupont ')).toBe('renee dupont');
    expect(normaliseString('ÅNGSTRÖM')).toBe('angstrom');
    expect(normaliseString('Zoe\u0308\t\nO\u0301Brien')).toBe('zoe obrien');
    expect(normaliseString('  Smith')).toBe('smith');
    expect(normaliseString('Smith')).toBe('smith');
    expect(normaliseString('Łukasz Ærø')).toBe('łukasz ærø');
    expect(normaliseString(' \t ')).toBe('');
  });
});

describe('string rows', () => {
  const patient: Resource = {
    resourceType: 'Patient',
    name: [
      {
        family: 'Müller',
        given: ['Anna', 'Maria'],
        prefix: ['Dr.'],
        suffix: ['PhD'],
        text: 'Dr. Anna Maria Müller',
      },
      { use: 'nickname', given: ['Annie'] },
    ],
    address: [
      {
        line: ['1 Main St', 'Apt 2'],
        city: 'Springfield',
        district: 'Sangamon',
        state: 'IL',
        postalCode: '62701',
        country: 'US',
        text: '1 Main St, Apt 2, Springfield IL 62701',
      },
    ],
  };

  it('HumanName: a row per family, given, prefix, suffix and text', () => {
    expect(strings(patient, 'name')).toEqual([
      ['muller', 'Müller'],
      ['anna', 'Anna'],
      ['maria', 'Maria'],
      ['dr.', 'Dr.'],
      ['phd', 'PhD'],
      ['dr. anna maria muller', 'Dr. Anna Maria Müller'],
      ['annie', 'Annie'],
    ]);
    expect(strings(patient, 'family')).toEqual([['muller', 'Müller']]);
    expect(strings(patient, 'given')).toEqual([
      ['anna', 'Anna'],
      ['maria', 'Maria'],
      ['annie', 'Annie'],
    ]);
  });

  it('Address: a row per line, city, district, state, postalCode, country and text', () => {
    expect(strings(patient, 'address')).toEqual([
      ['1 main st', '1 Main St'],
      ['apt 2', 'Apt 2'],
      ['springfield', 'Springfield'],
      ['sangamon', 'Sangamon'],
      ['il', 'IL'],
      ['62701', '62701'],
      ['us', 'US'],
      ['1 main st, apt 2, springfield il 62701', '1 Main St, Apt 2, Springfield IL 62701'],
    ]);
    expect(strings(patient, 'address-city')).toEqual([['springfield', 'Springfield']]);
    expect(strings(patient, 'address-postalcode')).toEqual([['62701', '62701']]);
  });

  it('plain strings and markdown: one row each', () => {
    const org: Resource = { resourceType: 'Organization', name: 'St. Mary’s  Hospital', alias: ['SMH'] };
    expect(strings(org, 'name')).toEqual([
      ['st. mary’s hospital', 'St. Mary’s  Hospital'],
      ['smh', 'SMH'],
    ]);
    const def: Resource = { resourceType: 'ActivityDefinition', description: 'Give **one** dose' };
    expect(strings(def, 'description')).toEqual([['give **one** dose', 'Give **one** dose']]);
  });

  it('drops duplicates within a parameter and skips empty or non-string parts', () => {
    const odd = {
      resourceType: 'Patient',
      name: [{ family: 'Lee', given: [null, 'Kim', '', 42] }, { family: 'Lee' }, 'Lee Kim'],
      _name: undefined,
    } as unknown as Resource;
    expect(strings(odd, 'name')).toEqual([
      ['lee', 'Lee'],
      ['kim', 'Kim'],
    ]);
  });
});
