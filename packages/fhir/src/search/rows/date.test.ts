import { describe, expect, it } from 'vitest';
import type { Resource } from '../../types.js';
import { approximateDateRange, dateRange, extractIndexes } from '../index.js';

function dates(resource: Resource, param: string) {
  return extractIndexes(resource)
    .date.filter((r) => r.param === param)
    .map(({ start, end }) => [start, end]);
}

describe('dateRange', () => {
  it.each([
    ['2020', '2020-01-01T00:00:00.000Z', '2020-12-31T23:59:59.999Z'],
    ['2020-02', '2020-02-01T00:00:00.000Z', '2020-02-29T23:59:59.999Z'],
    ['2021-02', '2021-02-01T00:00:00.000Z', '2021-02-28T23:59:59.999Z'],
    ['1900-02', '1900-02-01T00:00:00.000Z', '1900-02-28T23:59:59.999Z'],
    ['2020-12', '2020-12-01T00:00:00.000Z', '2020-12-31T23:59:59.999Z'],
    ['2020-03-04', '2020-03-04T00:00:00.000Z', '2020-03-04T23:59:59.999Z'],
    ['0099-03-04', '0099-03-04T00:00:00.000Z', '0099-03-04T23:59:59.999Z'],
    ['2020-03-04T10:15', '2020-03-04T10:15:00.000Z', '2020-03-04T10:15:59.999Z'],
    ['2020-03-04T10:15:30Z', '2020-03-04T10:15:30.000Z', '2020-03-04T10:15:30.999Z'],
    ['2020-03-04T10:15:30', '2020-03-04T10:15:30.000Z', '2020-03-04T10:15:30.999Z'],
    ['2020-03-04T10:15:30+00:00', '2020-03-04T10:15:30.000Z', '2020-03-04T10:15:30.999Z'],
    ['2020-03-04T10:15:30.5Z', '2020-03-04T10:15:30.500Z', '2020-03-04T10:15:30.599Z'],
    ['2020-03-04T10:15:30.123Z', '2020-03-04T10:15:30.123Z', '2020-03-04T10:15:30.123Z'],
    ['2020-03-04T10:15:30.123456Z', '2020-03-04T10:15:30.123Z', '2020-03-04T10:15:30.123Z'],
    ['2020-03-04T10:15:30+02:00', '2020-03-04T08:15:30.000Z', '2020-03-04T08:15:30.999Z'],
    ['2020-03-04T10:15+05:30', '2020-03-04T04:45:00.000Z', '2020-03-04T04:45:59.999Z'],
    ['2019-12-31T23:30:00-01:00', '2020-01-01T00:30:00.000Z', '2020-01-01T00:30:00.999Z'],
  ])('%s → %s … %s', (value, start, end) => {
    expect(dateRange(value)).toEqual({ start, end });
  });

  it.each([
    '',
    'abc',
    '20',
    '2020-13',
    '2020-00',
    '2021-02-29',
    '2020-04-31',
    '2020-3-4',
    '2020-03-04T24:00:00Z',
    '2020-03-04T10:60:00Z',
    '2020-03-04T10:15:61Z',
    '2020-03-04T10Z',
    '2020-03-04T10:15:30+15:00',
    '2020-03-04 10:15:30',
    '2020-03-04T10:15:30.Z',
  ])('rejects %j', (value) => {
    expect(dateRange(value)).toBeUndefined();
  });
});

describe('date rows', () => {
  it('date and dateTime elements at their precision', () => {
    expect(dates({ resourceType: 'Patient', birthDate: '1974-12' }, 'birthdate')).toEqual([
      ['1974-12-01T00:00:00.000Z', '1974-12-31T23:59:59.999Z'],
    ]);
    const obs: Resource = { resourceType: 'Observation', effectiveDateTime: '2015-08-23T01:16:09+02:00' };
    expect(dates(obs, 'date')).toEqual([['2015-08-22T23:16:09.000Z', '2015-08-22T23:16:09.999Z']]);
  });

  it('Period: start of start to end of end; an absent end stays open', () => {
    const enc = (period: unknown) => dates({ resourceType: 'Encounter', period }, 'date');
    expect(enc({ start: '2020-01-01', end: '2020-01-03T12:00:00Z' })).toEqual([
      ['2020-01-01T00:00:00.000Z', '2020-01-03T12:00:00.999Z'],
    ]);
    expect(enc({ start: '2020-01-01T08:00:00Z' })).toEqual([['2020-01-01T08:00:00.000Z', null]]);
    expect(enc({ end: '2020' })).toEqual([[null, '2020-12-31T23:59:59.999Z']]);
    expect(enc({})).toEqual([]);
    expect(enc({ start: 'yesterday' })).toEqual([]);
    expect(enc({ start: '2020-01-01', end: 5 })).toEqual([]);
  });

  it('Timing: one row per event', () => {
    const plan: Resource = {
      resourceType: 'CarePlan',
      activity: [
        {
          detail: { status: 'scheduled', scheduledTiming: { event: ['2020-01-01', '2020-02-01T09:00:00Z'] } },
        },
      ],
    };
    expect(dates(plan, 'activity-date')).toEqual([
      ['2020-01-01T00:00:00.000Z', '2020-01-01T23:59:59.999Z'],
      ['2020-02-01T09:00:00.000Z', '2020-02-01T09:00:00.999Z'],
    ]);
  });

  it('instant (meta.lastUpdated is a column, not a row; Observation.issued is not a parameter)', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      meta: { lastUpdated: '2020-01-01T00:00:00Z' },
      effectiveInstant: '2020-05-06T07:08:09.123Z',
    };
    const rows = extractIndexes(obs).date;
    expect(rows).toEqual([
      { param: 'date', start: '2020-05-06T07:08:09.123Z', end: '2020-05-06T07:08:09.123Z' },
    ]);
  });

  it('choice alternatives that are not dates give no row (Condition.onset as string or Age)', () => {
    expect(dates({ resourceType: 'Condition', onsetString: 'last spring' }, 'onset-date')).toEqual([]);
    expect(dates({ resourceType: 'Condition', onsetAge: { value: 40, unit: 'a' } }, 'onset-date')).toEqual(
      [],
    );
    expect(dates({ resourceType: 'Condition', onsetPeriod: { start: '2019' } }, 'onset-date')).toEqual([
      ['2019-01-01T00:00:00.000Z', null],
    ]);
  });

  it('skips unparseable values', () => {
    expect(dates({ resourceType: 'Patient', birthDate: '25/12/1974' }, 'birthdate')).toEqual([]);
    expect(
      dates({ resourceType: 'Patient', birthDate: 19741225 } as unknown as Resource, 'birthdate'),
    ).toEqual([]);
  });
});

describe('approximateDateRange', () => {
  const now = Date.parse('2026-01-01T00:00:00.000Z');
  const range = (v: string) => dateRange(v) ?? expect.fail(`unreadable ${v}`);

  it('widens a past value by 10% of its distance from now on each side', () => {
    // 2016 ends 9 years (3,287 days) before now: a margin of 328.7 days.
    const wide = approximateDateRange(range('2016'), now);
    expect(wide.start).toBe('2015-02-06T07:12:00.000Z');
    expect(wide.end).toBe('2017-11-25T16:47:59.999Z');
  });

  it('widens a future value by its distance from now too', () => {
    const wide = approximateDateRange(range('2036-01-01'), now);
    expect(Date.parse('2036-01-01T00:00:00.000Z') - Date.parse(wide.start)).toBe(365.2 * 86_400_000);
  });

  it('keeps at least a day of margin around today', () => {
    expect(approximateDateRange(range('2026-01-01'), now)).toEqual({
      start: '2025-12-31T00:00:00.000Z',
      end: '2026-01-02T23:59:59.999Z',
    });
  });

  it('stays within the years FHIR can write', () => {
    expect(approximateDateRange(range('0001'), now).start).toBe('0001-01-01T00:00:00.000Z');
    expect(approximateDateRange(range('9999'), now).end).toBe('9999-12-31T23:59:59.999Z');
  });
});
