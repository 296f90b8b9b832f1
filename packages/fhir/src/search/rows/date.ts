import type { DateIndexRow } from '../types.js';
import { dateRange } from './date-range.js';
import { isRecord } from './values.js';

const DATE_TYPES: ReadonlySet<string> = new Set([
  'date',
  'dateTime',
  'instant',
  'System.Date',
  'System.DateTime',
]);

/**
 * Date rows: a date, dateTime or instant as the range its precision covers; a Period from the
 * start of `start` to the end of `end`, an absent end being open (null); a Timing one row per
 * `event` (its `repeat.bounds` are not indexed). Age, Range and string alternatives of a
 * choice (Condition.onset) are not dates and give no row; neither does an unparseable value.
 */
export function dateRows(param: string, value: unknown, type: string, out: DateIndexRow[]): void {
  if (DATE_TYPES.has(type)) {
    pushInstant(param, value, out);
  } else if (type === 'Period') {
    pushPeriod(param, value, out);
  } else if (type === 'Timing') {
    if (isRecord(value) && Array.isArray(value.event))
      for (const e of value.event) pushInstant(param, e, out);
  }
}

function pushInstant(param: string, value: unknown, out: DateIndexRow[]): void {
  if (typeof value !== 'string') return;
  const range = dateRange(value);
  if (range) out.push({ param, start: range.start, end: range.end });
}

function pushPeriod(param: string, period: unknown, out: DateIndexRow[]): void {
  if (!isRecord(period)) return;
  const { start, end } = period;
  if (start === undefined && end === undefined) return;
  const from = typeof start === 'string' ? dateRange(start) : undefined;
  const to = typeof end === 'string' ? dateRange(end) : undefined;
  // A bound that is present but not a date makes the whole period unreliable: skip it.
  if ((start !== undefined && !from) || (end !== undefined && !to)) return;
  out.push({ param, start: from?.start ?? null, end: to?.end ?? null });
}
