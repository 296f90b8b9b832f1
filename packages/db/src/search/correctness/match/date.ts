import type { TypedValue } from '../fhirpath-values.js';
import { type Comparator, readPrefix } from './search-value.js';

/** A half-open instant range [start, end) in epoch milliseconds; ±Infinity when unbounded. */
export interface InstantRange {
  start: number;
  end: number;
}

const datePattern =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The range a FHIR date, dateTime or instant covers given its precision (R4 search.html#date):
 * `2020` is the whole year, `2020-03-04T10:00:00Z` one second. No time zone means UTC, the
 * server's zone.
 */
export function instantRange(text: string): InstantRange | undefined {
  const m = datePattern.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  if (mo === undefined) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  const month = Number(mo) - 1;
  if (d === undefined) return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
  const day = Number(d);
  if (h === undefined) return { start: Date.UTC(year, month, day), end: Date.UTC(year, month, day + 1) };
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const fracDigits = frac ?? '';
  const ms = fracDigits === '' ? 0 : Math.floor(Number(`0.${fracDigits}`) * 1000 + 1e-6);
  const start =
    Date.UTC(year, month, day, Number(h), Number(mi), s === undefined ? 0 : Number(s), ms) -
    offsetMinutes * 60_000;
  const width =
    s === undefined ? 60_000 : fracDigits === '' ? 1000 : Math.max(1, 10 ** (3 - fracDigits.length));
  return { start, end: start + width };
}

/** The ranges of one date-like item: a date/dateTime/instant, or a Period (open ends unbounded). */
export function dateFacts(item: TypedValue): InstantRange[] {
  const v = item.value;
  if (typeof v === 'string') {
    const r = instantRange(v);
    return r ? [r] : [];
  }
  if (item.type === 'Period' && typeof v === 'object' && v !== null) {
    const p = v as { start?: unknown; end?: unknown };
    const start = typeof p.start === 'string' ? instantRange(p.start) : undefined;
    const end = typeof p.end === 'string' ? instantRange(p.end) : undefined;
    if (!start && !end) return [];
    return [{ start: start ? start.start : -Infinity, end: end ? end.end : Infinity }];
  }
  return [];
}

export function dateHasValue(item: TypedValue): boolean {
  return dateFacts(item).length > 0;
}

/**
 * How `ge` and `le` treat a target range that overlaps the search range without lying inside it
 * or reaching beyond it: `r4` (search.html#date: "the range above the search value intersects
 * the target, or the search range fully contains it") excludes it; `overlap` includes it — the
 * reading of a known discrepancy, kept only to recognise it (see correctness.int.test.ts).
 */
export type GeLeReading = 'r4' | 'overlap';

/**
 * R4 prefix semantics over ranges (search.html#date), target `t` and search value `p`:
 * eq = p contains t; gt = t extends beyond p's end; ge = gt or eq; lt = t starts before p;
 * le = lt or eq; sa = t starts after p ends; eb = t ends before p starts; ne = not eq.
 */
export function compareRanges(
  prefix: Comparator,
  t: InstantRange,
  p: InstantRange,
  reading: GeLeReading = 'r4',
): boolean {
  const within = p.start <= t.start && t.end <= p.end;
  if (reading === 'overlap' && prefix === 'ge') return t.end > p.start;
  if (reading === 'overlap' && prefix === 'le') return t.start < p.end;
  switch (prefix) {
    case 'eq':
      return within;
    case 'ne':
      return !within;
    case 'gt':
      return t.end > p.end;
    case 'ge':
      return t.end > p.end || within;
    case 'lt':
      return t.start < p.start;
    case 'le':
      return t.start < p.start || within;
    case 'sa':
      return t.start >= p.end;
    case 'eb':
      return t.end <= p.start;
    case 'ap':
      throw new Error('ap is implementation-defined for dates; the generator does not use it');
  }
}

export function dateMatches(item: TypedValue, value: string, reading: GeLeReading = 'r4'): boolean {
  const { prefix, rest } = readPrefix(value);
  const p = instantRange(rest);
  if (!p) throw new Error(`generated an unreadable date ${value}`);
  return dateFacts(item).some((t) => compareRanges(prefix, t, p, reading));
}
