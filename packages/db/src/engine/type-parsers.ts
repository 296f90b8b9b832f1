/**
 * Both engines return the same JavaScript values: int8 as number (our surrogate keys stay far below
 * 2^53) and timestamptz as an ISO 8601 UTC string with milliseconds, the form FHIR `instant` uses.
 */
export const TypeOid = { int8: 20, timestamptz: 1184 } as const;

const timestampPattern =
  /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?$/;

/** Parses PostgreSQL's text output for timestamptz (any session TimeZone) into `YYYY-MM-DDThh:mm:ss.sssZ`. */
export function parseTimestamptz(text: string): string {
  if (text === 'infinity' || text === '-infinity') return text;
  const m = timestampPattern.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (sign) {
    const offset = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * 1000;
    time -= sign === '+' ? offset : -offset;
  }
  return new Date(time).toISOString();
}

export function parseInt8(text: string): number {
  return Number(text);
}
