const dtm = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,4})?([+-]\d{4})?$/;

/**
 * HL7 DTM/TS (`YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`) → FHIR dateTime at the precision
 * given. FHIR needs a zone once there is a time: `defaultOffset` (e.g. `+01:00`, from the channel
 * configuration) is used when the message has none; a time given only to the hour gets `:00`.
 * Returns undefined for text that is not a DTM, so a mapper can report it.
 */
export function parseDateTime(value: string | undefined, defaultOffset = 'Z'): string | undefined {
  if (!value) return undefined;
  const m = dtm.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (mo && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d && (Number(d) < 1 || Number(d) > 31)) return undefined;
  if (h && (Number(h) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59)) return undefined;
  if (!mo) return y;
  if (!d) return `${y}-${mo}`;
  if (!h) return `${y}-${mo}-${d}`;
  const offset = zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : defaultOffset;
  return `${y}-${mo}-${d}T${h}:${mi ?? '00'}:${s ?? '00'}${frac ?? ''}${offset === '+00:00' ? 'Z' : offset}`;
}

/** A FHIR date (YYYY, YYYY-MM, YYYY-MM-DD) from a DTM/DT, dropping any time. */
export function parseDate(value: string | undefined): string | undefined {
  const dt = parseDateTime(value);
  return dt?.slice(0, 10);
}

/** Now (or `date`) as an HL7 DTM with seconds and zone offset: `20260122103000+0000`. */
export function formatDateTime(date: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}+0000`;
}
