import { type Hl7Segment, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder, IdentifierKey } from './bundle-builder.js';
import {
  orderControlStatus,
  orderPriority,
  orderStatus,
  repeatPatterns,
  repeatUnits,
} from './codes/orders.js';
import { authoritySystem, type Composite, composite } from './datatypes.js';
import { noteText } from './oru.js';
import { defaultSystem } from './patient.js';

/** One order in a message: its common order segment, its detail segment and what follows them. */
export interface OrderGroup {
  orc?: Hl7Segment;
  /** The detail segment (OBR for ORM/OML, RXE for RDE). */
  detail?: Hl7Segment;
  segments: Hl7Segment[];
  /** Index in `segments` where the detail segment stood (what follows belongs to it first). */
  detailAt: number;
}

/**
 * Splits a patient's segments into orders: an ORC starts one; a detail segment joins the ORC
 * before it unless that order already has one (then it is a further order under the same ORC).
 */
export function orderGroups(segments: Hl7Segment[], detail: string): OrderGroup[] {
  const out: OrderGroup[] = [];
  let current: OrderGroup | undefined;
  for (const s of segments) {
    if (s.name === 'ORC') {
      current = { orc: s, segments: [], detailAt: 0 };
      out.push(current);
    } else if (s.name === detail) {
      if (current && !current.detail) {
        current.detail = s;
        current.detailAt = current.segments.length;
      } else {
        current = { orc: current?.orc, detail: s, segments: [], detailAt: 0 };
        out.push(current);
      }
    } else current?.segments.push(s);
  }
  return out;
}

const v2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** EI (entity identifier) → identifier system and value; the sender's orders without an authority. */
function entityKey(b: BundleBuilder, ei: Composite | undefined): IdentifierKey | undefined {
  const value = ei?.c(1);
  if (!ei || !value) return undefined;
  return { system: authoritySystem(ei.c(2), ei.c(3), ei.c(4)) ?? `${defaultSystem(b)}:order`, value };
}

/**
 * The order's numbers: placer (ORC-2, else the detail's field 2 — OBR-2) and filler (ORC-3,
 * else OBR-3) as identifiers typed PLAC/FILL; the key to match on is the placer number, else the
 * filler number. Neither → AE naming ORC-2.
 */
export function orderIdentity(
  b: BundleBuilder,
  order: OrderGroup,
): { key: IdentifierKey; identifiers: Record<string, unknown>[] } {
  const fromDetail = order.detail?.name === 'OBR';
  const placer =
    entityKey(b, order.orc && composite(order.orc, 2)) ??
    (fromDetail && order.detail ? entityKey(b, composite(order.detail, 2)) : undefined);
  const filler =
    entityKey(b, order.orc && composite(order.orc, 3)) ??
    (fromDetail && order.detail ? entityKey(b, composite(order.detail, 3)) : undefined);
  const key = placer ?? filler;
  if (!key) {
    const seg = order.orc ?? order.detail;
    b.required(seg ? b.at(seg, 2) : { segment: 'ORC', sequence: 1, field: 2 }, 'placer order number');
  }
  const typed = (k: IdentifierKey, code: string) => ({
    type: { coding: [{ system: v2_0203, code }] },
    system: k.system,
    value: k.value,
  });
  return {
    key,
    identifiers: [...(placer ? [typed(placer, 'PLAC')] : []), ...(filler ? [typed(filler, 'FILL')] : [])],
  };
}

/**
 * Request status from ORC-5 (order status, table 0038) when sent and known, else ORC-1 (order
 * control, table 0119: NW new → active, CA/DC → revoked, XO → active …); undefined when neither
 * says (ORC-1 `SC` without ORC-5): the stored status then stands.
 */
export function requestStatus(order: OrderGroup): string | undefined {
  if (!order.orc) return 'active';
  return orderStatus[order.orc.value(5) ?? ''] ?? orderControlStatus[order.orc.value(1) ?? ''];
}

/**
 * A segment of the order by name: the first after the detail segment (RDE: the TQ1 and RXR of
 * the RXE, not of the RXO before it), else the first before it.
 */
export function orderSegment(order: OrderGroup, name: string): Hl7Segment | undefined {
  return (
    order.segments.slice(order.detailAt).find((s) => s.name === name) ??
    order.segments.find((s) => s.name === name)
  );
}

/** TQ1 of the order, if any. */
export function timingSegment(order: OrderGroup): Hl7Segment | undefined {
  return orderSegment(order, 'TQ1');
}

/** Priority: TQ1-9, else ORC-7.6 / the detail's quantity-timing priority, else OBR-5 (table 0485). */
export function requestPriority(order: OrderGroup, tq1: Hl7Segment | undefined): string | undefined {
  const code =
    tq1?.value(9) ??
    order.orc?.value(7, 1, 6) ??
    (order.detail?.name === 'OBR' ? (order.detail.value(27, 1, 6) ?? order.detail.value(5)) : undefined);
  return code ? orderPriority[code.toUpperCase()] : undefined;
}

/** When: TQ1-7..8, else ORC-7.4..5 (older quantity/timing), as a dateTime or a Period. */
export function requestTiming(
  b: BundleBuilder,
  order: OrderGroup,
  tq1: Hl7Segment | undefined,
): { start?: string; end?: string } {
  const tz = b.settings.timezoneOffset;
  const start = parseDateTime(tq1?.value(7), tz) ?? parseDateTime(order.orc?.value(7, 1, 4), tz);
  const end = parseDateTime(tq1?.value(8), tz) ?? parseDateTime(order.orc?.value(7, 1, 5), tz);
  return { start, end };
}

/**
 * A repeat pattern (TQ1-3, RXE-1.2) as Timing: the code kept, and `BID`, `Q6H` … read into
 * frequency and period.
 */
export function repeatTiming(pattern: string | undefined): Record<string, unknown> | undefined {
  if (!pattern) return undefined;
  const code = pattern.toUpperCase();
  const fixed = repeatPatterns[code];
  const every = /^Q(\d+)([SMHDWL])$/.exec(code);
  const repeat = fixed
    ? { ...fixed }
    : every
      ? { frequency: 1, period: Number(every[1]), periodUnit: repeatUnits[every[2]] }
      : undefined;
  return {
    ...(repeat ? { repeat } : {}),
    code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0335', code: pattern }] },
  };
}

/** The NTE comments of an order as FHIR annotations. */
export function orderNotes(order: OrderGroup): Record<string, unknown>[] {
  return order.segments
    .filter((s) => s.name === 'NTE')
    .map(noteText)
    .filter(Boolean)
    .map((text) => ({ text }));
}
