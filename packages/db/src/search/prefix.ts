/** FHIR search comparison prefixes (https://hl7.org/fhir/R4/search.html#prefix). */
export const prefixes = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type Prefix = (typeof prefixes)[number];

const prefixPattern = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)(?=[0-9+\-.])/;

/** Splits `ge2020-01` into `ge` and `2020-01`; no prefix means `eq`. */
export function splitPrefix(value: string): { prefix: Prefix; rest: string } {
  const m = prefixPattern.exec(value);
  if (!m) return { prefix: 'eq', rest: value };
  return { prefix: m[1] as Prefix, rest: value.slice(2) };
}
