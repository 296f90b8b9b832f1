/**
 * R4 primitive datatypes in JSON: the JSON kind each must have and its lexical format
 * (the `regex` extensions of the R4 StructureDefinitions, plus the rules they cannot express:
 * calendar dates, the 32-bit integer range, no empty or whitespace-only strings).
 * Spec: https://hl7.org/fhir/R4/datatypes.html#primitive
 */

type JsonKind = 'string' | 'number' | 'boolean';

interface PrimitiveFormat {
  readonly json: JsonKind;
  /** Completes "must be …". */
  readonly expected: string;
  /** Format check on a value already of the right JSON kind. */
  readonly valid: (value: never) => boolean;
}

const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const MONTH = '(0[1-9]|1[0-2])';
const DAY = '(0[1-9]|[1-2][0-9]|3[0-1])';
const TIME = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?';
const ZONE = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';

const DATE_RE = new RegExp(`^${YEAR}(-${MONTH}(-${DAY})?)?$`);
const DATE_TIME_RE = new RegExp(`^${YEAR}(-${MONTH}(-${DAY}(T${TIME}${ZONE})?)?)?$`);
const INSTANT_RE = new RegExp(`^${YEAR}-${MONTH}-${DAY}T${TIME}${ZONE}$`);
const TIME_RE = new RegExp(`^${TIME}$`);
const CODE_RE = /^[^\s]+(\s[^\s]+)*$/;
const ID_RE = /^[A-Za-z0-9\-.]{1,64}$/;
const URI_RE = /^\S+$/;
const OID_RE = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;
const UUID_RE = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NON_WHITESPACE_RE = /\S/;

/** FHIR strings are limited to 1 MB. */
const MAX_STRING_LENGTH = 1024 * 1024;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The regexes accept 2023-02-30; a date must also exist in the calendar. */
function realDate(value: string): boolean {
  if (value.length < 10) return true;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (day <= 28) return true;
  if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= DAYS_IN_MONTH[month - 1];
}

function text(value: string): boolean {
  return value.length <= MAX_STRING_LENGTH && NON_WHITESPACE_RE.test(value);
}

function int32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

/** base64 without a regex: attachments can be megabytes and a backtracking regex would be slow. */
function base64(value: string): boolean {
  let count = 0;
  let padding = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    const alphabet =
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
    if (c === 61) padding++;
    else if (!alphabet || padding > 0) return false;
    count++;
  }
  return count > 0 && count % 4 === 0 && padding <= 2;
}

const formats: Record<string, PrimitiveFormat> = {
  boolean: { json: 'boolean', expected: 'a boolean (true or false)', valid: () => true },
  integer: { json: 'number', expected: 'an integer (32-bit)', valid: (v: number) => int32(v) },
  positiveInt: {
    json: 'number',
    expected: 'a positive integer (1 or more)',
    valid: (v: number) => int32(v) && v > 0,
  },
  unsignedInt: {
    json: 'number',
    expected: 'an unsigned integer (0 or more)',
    valid: (v: number) => int32(v) && v >= 0,
  },
  decimal: { json: 'number', expected: 'a decimal number', valid: (v: number) => Number.isFinite(v) },
  string: { json: 'string', expected: 'a non-blank string (at most 1 MB)', valid: text },
  markdown: { json: 'string', expected: 'a non-blank markdown string (at most 1 MB)', valid: text },
  code: {
    json: 'string',
    expected: 'a code (no leading, trailing or repeated whitespace)',
    valid: (v: string) => CODE_RE.test(v),
  },
  id: {
    json: 'string',
    expected: 'an id (1 to 64 letters, digits, "-" or ".")',
    valid: (v: string) => ID_RE.test(v),
  },
  uri: { json: 'string', expected: 'a URI (no whitespace)', valid: (v: string) => URI_RE.test(v) },
  url: { json: 'string', expected: 'a URL (no whitespace)', valid: (v: string) => URI_RE.test(v) },
  canonical: {
    json: 'string',
    expected: 'a canonical URL (no whitespace)',
    valid: (v: string) => URI_RE.test(v),
  },
  oid: { json: 'string', expected: 'an OID (urn:oid:1.2.3…)', valid: (v: string) => OID_RE.test(v) },
  uuid: {
    json: 'string',
    expected: 'a UUID (urn:uuid: and lower-case hex)',
    valid: (v: string) => UUID_RE.test(v),
  },
  date: {
    json: 'string',
    expected: 'a date (YYYY, YYYY-MM or YYYY-MM-DD)',
    valid: (v: string) => DATE_RE.test(v) && realDate(v),
  },
  dateTime: {
    json: 'string',
    expected: 'a dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone)',
    valid: (v: string) => DATE_TIME_RE.test(v) && realDate(v),
  },
  instant: {
    json: 'string',
    expected: 'an instant (YYYY-MM-DDThh:mm:ss[.sss] with a time zone)',
    valid: (v: string) => INSTANT_RE.test(v) && realDate(v),
  },
  time: { json: 'string', expected: 'a time (hh:mm:ss)', valid: (v: string) => TIME_RE.test(v) },
  base64Binary: { json: 'string', expected: 'base64-encoded data', valid: base64 },
  xhtml: {
    json: 'string',
    expected: 'XHTML starting with <div',
    valid: (v: string) => v.trimStart().startsWith('<div'),
  },
};

export interface PrimitiveProblem {
  /** `structure`: an object or array where a primitive belongs; `value`: wrong JSON kind or format. */
  readonly code: 'structure' | 'value';
  /** Completes "<element> must be …". */
  readonly expected: string;
}

/** Checks one JSON value against an R4 primitive type; undefined when valid. */
export function checkPrimitive(type: string, value: unknown): PrimitiveProblem | undefined {
  const format = formats[type] ?? formats.string;
  const kind = typeof value;
  if (kind !== format.json) {
    return { code: kind === 'object' ? 'structure' : 'value', expected: format.expected };
  }
  return (format.valid as (v: unknown) => boolean)(value)
    ? undefined
    : { code: 'value', expected: format.expected };
}

/** The R4 primitive type names this module knows. */
export function primitiveTypeNames(): string[] {
  return Object.keys(formats);
}
