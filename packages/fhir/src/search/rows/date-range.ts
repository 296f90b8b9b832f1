/**
 * FHIR date, dateTime and instant values as the instant ranges they cover, to the precision
 * written: `2020` → 2020-01-01T00:00:00.000Z … 2020-12-31T23:59:59.999Z, `2020-03` → March,
 * `2020-03-04` → that day, `2020-03-04T10:15` → that minute, `…T10:15:30` → that second,
 * `…T10:15:30.5` → 10:15:30.500 … 10:15:30.599 (each fraction digit narrows it; from three
 * digits on, one millisecond).
 *
 * A value without a timezone (a date, or a dateTime written without one) is taken as UTC: the
 * server does not guess the writer's zone, and UTC keeps the index independent of where the
 * server runs. A value with an offset is converted to UTC.
 */

export interface DateRange {
  /** ISO 8601 UTC, millisecond precision, inclusive. */
  start: string;
  end: string;
}

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Offset of `Z` / `+hh:mm` / `-hh:mm` in minutes, or undefined when out of range. */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone === 'Z') return 0;
  const h = Number(zone.slice(1, 3));
  const m = Number(zone.slice(4, 6));
  if (h > 14 || m > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (h * 60 + m);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * The range a date/dateTime/instant string covers, or undefined when it is not a valid one.
 * Written straight from the digits when no shift is needed (the common case; `Date` objects
 * are comparatively slow), through `Date` arithmetic when an offset moves the instant.
 */
export function dateRange(value: string): DateRange | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const y = m[1];
  if (m[2] === undefined) return { start: `${y}-01-01T00:00:00.000Z`, end: `${y}-12-31T23:59:59.999Z` };
  const year = Number(y);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const ym = `${y}-${m[2]}`;
  if (m[3] === undefined) {
    return { start: `${ym}-01T00:00:00.000Z`, end: `${ym}-${pad2(daysInMonth(year, month))}T23:59:59.999Z` };
  }
  const day = Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  const ymd = `${ym}-${m[3]}`;
  if (m[4] === undefined) return { start: `${ymd}T00:00:00.000Z`, end: `${ymd}T23:59:59.999Z` };

  const offset = offsetMinutes(m[8]);
  if (
    Number(m[4]) > 23 ||
    Number(m[5]) > 59 ||
    (m[6] !== undefined && Number(m[6]) > 59) ||
    offset === undefined
  ) {
    return undefined;
  }
  // Bounds within the written minute/second, as "ss.mmm" strings.
  let low = '00.000';
  let high = '59.999';
  if (m[6] !== undefined) {
    const digits = (m[7] ?? '').slice(0, 3);
    low = `${m[6]}.${digits.padEnd(3, '0')}`;
    high = `${m[6]}.${digits.padEnd(3, '9')}`;
  }
  const hm = `${ymd}T${m[4]}:${m[5]}:`;
  if (offset === 0) return { start: `${hm}${low}Z`, end: `${hm}${high}Z` };
  const shift = offset * 60_000;
  return {
    start: new Date(Date.parse(`${hm}${low}Z`) - shift).toISOString(),
    end: new Date(Date.parse(`${hm}${high}Z`) - shift).toISOString(),
  };
}

/**
 * The range an `ap` (approximately) date search matches: the written range widened on each side
 * by 10% of the distance between the value and now, the margin R4 suggests (search.html#prefix),
 * and by at least one day, so `ap2020-03-04` also finds a time written on a neighbouring day in
 * another zone. A date far from today gets a wide margin (`ap1990` spans about ±3.6 years in
 * 2026); one close to today, a narrow one.
 */
export function approximateDateRange(range: DateRange, now: number = Date.now()): DateRange {
  const start = Date.parse(range.start);
  const end = Date.parse(range.end);
  const distance = now < start ? start - now : now > end ? now - end : 0;
  const margin = Math.max(Math.round(distance * 0.1), DAY_MS);
  return {
    start: clampIso(start - margin),
    end: clampIso(end + margin),
  };
}

const DAY_MS = 86_400_000;
const MIN_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

function clampIso(ms: number): string {
  return new Date(Math.min(Math.max(ms, MIN_INSTANT), MAX_INSTANT)).toISOString();
}
