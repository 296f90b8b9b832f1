import type { TypedValue } from '../fhirpath-values.js';
import { readPrefix, splitUnescaped } from './search-value.js';

/** What a quantity (or number) search sees in one item. */
export interface QuantityFacts {
  value: number;
  system?: string;
  code?: string;
  unit?: string;
}

const quantityTypes = new Set([
  'Quantity',
  'SimpleQuantity',
  'Age',
  'Duration',
  'Distance',
  'Count',
  'Money',
]);

export function quantityFacts(item: TypedValue): QuantityFacts[] {
  const v = item.value;
  if (typeof v === 'number') return [{ value: v }];
  if (!quantityTypes.has(item.type) || typeof v !== 'object' || v === null) return [];
  const q = v as Record<string, unknown>;
  if (typeof q.value !== 'number') return [];
  const s = (x: unknown) => (typeof x === 'string' ? x : undefined);
  if (item.type === 'Money') return [{ value: q.value, system: 'urn:iso:std:iso:4217', code: s(q.currency) }];
  return [{ value: q.value, system: s(q.system), code: s(q.code), unit: s(q.unit) }];
}

export function quantityHasValue(item: TypedValue): boolean {
  return quantityFacts(item).length > 0;
}

/**
 * `[prefix]number`: eq/ne honour the precision the value is written with (`100` is
 * [99.5, 100.5), search.html#number); gt/ge/lt/le compare with the value itself; ap is ±10 %.
 * The bounds are built as decimal text so they are as exact as the stored doubles.
 */
export function numberSatisfies(text: string, value: number, floatBounds = false): boolean {
  const { prefix, rest } = readPrefix(text);
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(rest);
  if (!m) throw new Error(`generated an unreadable number ${text}`);
  const decimals = m[3] ?? '';
  const digits = BigInt(`${m[1]}${m[2]}${decimals}`);
  const exponent = -(decimals.length + 1);
  const n = Number(rest);
  // floatBounds: the reading of a known discrepancy (bounds computed in binary floating point).
  const half = 0.5 * 10 ** -decimals.length;
  // Exact: compare the stored double's decimal text with the bounds as scaled integers
  // (converting the bounds back to doubles could round them onto the value itself).
  const inside = floatBounds
    ? value >= n - half && value < n + half
    : compareDecimal(exactDecimal(value), { digits: digits * 10n - 5n, exponent }) >= 0 &&
      compareDecimal(exactDecimal(value), { digits: digits * 10n + 5n, exponent }) < 0;
  switch (prefix) {
    case 'eq':
      return inside;
    case 'ne':
      return !inside;
    case 'gt':
      return value > n;
    case 'ge':
      return value >= n;
    case 'lt':
      return value < n;
    case 'le':
      return value <= n;
    case 'ap':
      return value >= n - Math.abs(n) * 0.1 && value <= n + Math.abs(n) * 0.1;
    default:
      throw new Error(`the generator does not use ${prefix} on numbers`);
  }
}

interface Decimal {
  digits: bigint;
  exponent: number;
}

/** The decimal a double prints as (its shortest round-trip text), as digits × 10^exponent. */
function exactDecimal(value: number): Decimal {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!m) throw new Error(`cannot read ${value}`);
  const fraction = m[3] ?? '';
  return { digits: BigInt(`${m[1]}${m[2]}${fraction}`), exponent: Number(m[4] ?? 0) - fraction.length };
}

function compareDecimal(a: Decimal, b: Decimal): number {
  const e = Math.min(a.exponent, b.exponent);
  const x = a.digits * 10n ** BigInt(a.exponent - e);
  const y = b.digits * 10n ** BigInt(b.exponent - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `[prefix]number`, `number|system|code`, `number||code` (code or unit, R4 search.html#quantity). */
export function quantityMatches(item: TypedValue, value: string, floatBounds = false): boolean {
  const [num, system, code] = splitUnescaped(value, '|');
  return quantityFacts(item).some((q) => {
    if (!numberSatisfies(num, q.value, floatBounds)) return false;
    if (code === undefined || system === undefined) return true;
    if (system === '') return q.code === code || q.unit === code;
    return q.system === system && q.code === code;
  });
}
