/*
 * Time in the generator is plain epoch milliseconds (UTC); the output is written in the
 * population's local offset (US Eastern standard time, fixed so output never depends on the
 * machine's zone or daylight-saving rules).
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365.2425 * DAY;

const OFFSET_MS = -5 * HOUR;
const OFFSET_TEXT = '-05:00';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local wall-clock time; generated times are fractional, the record keeps whole milliseconds. */
function local(ms: number): Date {
  return new Date(Math.floor(ms) + OFFSET_MS);
}

/** `2024-05-01T09:30:00-05:00` (FHIR dateTime with seconds and offset). */
export function dateTime(ms: number): string {
  const d = local(ms);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${OFFSET_TEXT}`
  );
}

/** `2024-05-01T09:30:00.000-05:00` (FHIR instant). */
export function instant(ms: number): string {
  const text = dateTime(ms);
  return `${text.slice(0, 19)}.${pad(((Math.floor(ms) % 1000) + 1000) % 1000, 3)}${text.slice(19)}`;
}

/** `2024-05-01` (FHIR date, local). */
export function date(ms: number): string {
  return dateTime(ms).slice(0, 10);
}

/** Parses `YYYY-MM-DD` as local midnight. */
export function parseDate(text: string): number {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${text}`);
  return ms - OFFSET_MS;
}

/** Age in (fractional) years at `ms`. */
export function ageAt(birth: number, ms: number): number {
  return (ms - birth) / YEAR;
}

/** Moves a time to a clinic hour (08:00–16:45 local) on the same local day. */
export function atClinicHour(ms: number, minuteOfDay: number): number {
  const d = local(ms);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - OFFSET_MS;
  return midnight + minuteOfDay * MINUTE;
}

/** Moves a weekend day to the following Monday (clinics are closed at weekends). */
export function onWeekday(ms: number): number {
  const day = local(ms).getUTCDay();
  if (day === 6) return ms + 2 * DAY;
  if (day === 0) return ms + DAY;
  return ms;
}
