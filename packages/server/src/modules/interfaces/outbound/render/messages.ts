import type { Resource } from '@hospitium/fhir';
import { defaultDelimiters, Hl7Message, type Hl7Segment } from '@hospitium/hl7v2';
import { interpretationCodes, observationStatus, reportStatus } from '../../mapping/codes/v2-tables.js';
import {
  assigningAuthority,
  type Components,
  cwe,
  put,
  putAll,
  reverse,
  segment,
  v2DateTime,
} from './datatypes.js';
import { currentLocation, evn, msh, pid, pv1, type RenderInput, xcn } from './segments.js';

type Rec = Resource & Record<string, unknown>;

/** Renders the message for an outbound event; throws when the event is not one Hospitium sends. */
export function renderMessage(input: RenderInput): Hl7Message {
  const [code] = input.event.split('^');
  const segments =
    code === 'ADT'
      ? adt(input)
      : code === 'ORM' || code === 'OML'
        ? order(input)
        : code === 'ORU'
          ? result(input)
          : undefined;
  if (!segments) throw new Error(`${input.event} cannot be sent`);
  return new Hl7Message(segments, defaultDelimiters);
}

/**
 * ADT A01/A04 (admit/registration), A02 (transfer), A03 (discharge), A06 (outpatient to
 * inpatient), A08 (update), A11/A12/A13 (cancel admit/transfer/discharge), A21/A22 (leave of
 * absence out/back), A31 (update without a visit): MSH, EVN (when it happened), PID, PV1.
 */
function adt(input: RenderInput): Hl7Segment[] {
  const e = input.encounter as Rec | undefined;
  const period = e?.period as { start?: string; end?: string } | undefined;
  const here = currentLocation(e);
  const moved = (
    e?.location as { location?: { reference?: string }; period?: { start?: string } }[] | undefined
  )?.find((l) => l.location?.reference === here)?.period?.start;
  const occurred =
    input.event === 'ADT^A03'
      ? period?.end
      : input.event === 'ADT^A02'
        ? (moved ?? input.now.toISOString())
        : input.event === 'ADT^A01' || input.event === 'ADT^A04'
          ? period?.start
          : undefined;
  return [msh(input), evn(input, occurred), pid(input), pv1(input)];
}

type Identifier = { system?: string; value?: string };

/** An order or report identifier → EI: id^namespace^universal id^type. */
function ei(ids: unknown, fallbackId: string | undefined, input: RenderInput): Components {
  const id = (ids as Identifier[] | undefined)?.find((i) => i.value);
  return id ? [id.value, ...assigningAuthority(id.system)] : [fallbackId, input.channel.sendingFacility];
}

/**
 * ORM^O01 / OML^O21 for a ServiceRequest made active: MSH, PID, PV1 (when it names a visit),
 * ORC (NW, placer number, when, who), OBR (placer number, what, when wanted, who ordered).
 */
function order(input: RenderInput): Hl7Segment[] {
  const sr = input.order as Rec;
  const placer = ei(sr.identifier, sr.id, input);
  const requester = xcn(sr.requester as { reference?: string; display?: string }, input.related);
  const orc = segment('ORC');
  orc.setValue('NW', 1);
  put(orc, 2, placer);
  orc.setValue(sr.status === 'on-hold' ? 'HD' : 'SC', 5);
  const when = v2DateTime(sr.authoredOn);
  if (when) orc.setValue(when, 9);
  if (requester) put(orc, 12, requester);
  const obr = segment('OBR');
  obr.setValue('1', 1);
  put(obr, 2, placer);
  put(obr, 4, cwe(sr.code as object));
  const wanted = v2DateTime(sr.occurrenceDateTime ?? (sr.occurrencePeriod as { start?: string })?.start);
  if (wanted) obr.setValue(wanted, 6);
  if (requester) put(obr, 16, requester);
  if (sr.priority === 'stat' || sr.priority === 'asap') obr.setValue('S', 27, 1, 6);
  const notes = ((sr.note as { text?: string }[]) ?? []).map((n, i) => nte(i + 1, n.text));
  return [msh(input), pid(input), pv1(input), orc, obr, ...notes.filter((n) => n !== undefined)];
}

/**
 * ORU^R01 for a DiagnosticReport made final (or amended): MSH, PID, PV1, OBR (filler number,
 * code, when, status), NTE (conclusion), one OBX per Observation with its value, UCUM unit,
 * reference range, abnormal flags and status.
 */
function result(input: RenderInput): Hl7Segment[] {
  const dr = input.report as Rec;
  const obr = segment('OBR');
  obr.setValue('1', 1);
  const basedOn = (dr.basedOn as { reference?: string }[] | undefined)?.[0]?.reference;
  const placer = basedOn ? (input.related.get(basedOn) as Rec | undefined) : undefined;
  if (placer) put(obr, 2, ei(placer.identifier, placer.id, input));
  put(obr, 3, ei(dr.identifier, dr.id, input));
  put(obr, 4, cwe(dr.code as object));
  const effective = v2DateTime(dr.effectiveDateTime ?? (dr.effectivePeriod as { start?: string })?.start);
  if (effective) obr.setValue(effective, 7);
  const issued = v2DateTime(dr.issued);
  if (issued) obr.setValue(issued, 22);
  const section = (dr.category as { coding?: { system?: string; code?: string }[] }[] | undefined)
    ?.flatMap((c) => c.coding ?? [])
    .find((c) => c.system === 'http://terminology.hl7.org/CodeSystem/v2-0074')?.code;
  if (section) obr.setValue(section, 24);
  obr.setValue(dr.status === 'amended' ? 'C' : (reverse(reportStatus, (s) => s === dr.status) ?? 'F'), 25);
  const segments = [msh(input), pid(input), pv1(input), obr];
  const conclusion = nte(1, dr.conclusion as string | undefined);
  if (conclusion) segments.push(conclusion);
  (input.observations ?? []).forEach((o, i) => {
    segments.push(obx(o as Rec, i + 1));
    ((o.note as { text?: string }[]) ?? []).forEach((n, j) => {
      const note = nte(j + 1, n.text);
      if (note) segments.push(note);
    });
  });
  return segments;
}

function nte(setId: number, text: string | undefined): Hl7Segment | undefined {
  if (!text) return undefined;
  const seg = segment('NTE');
  seg.setValue(String(setId), 1);
  text.split('\n').forEach((line, i) => {
    seg.setValue(line, 3, i + 1);
  });
  return seg;
}

type Quantity = { value?: number; comparator?: string; unit?: string; system?: string; code?: string };

/** OBX-6 from a Quantity: the UCUM code with its text, or the unit text alone. */
function units(q: Quantity | undefined): Components | undefined {
  if (!q) return undefined;
  if (q.system === 'http://unitsofmeasure.org' && q.code) return [q.code, q.unit ?? q.code, 'UCUM'];
  return q.unit ? [q.unit] : undefined;
}

/** OBX: value by type (NM, SN, CWE, TX, TS, TM), units, range, flags, status, time. */
function obx(o: Rec, setId: number): Hl7Segment {
  const seg = segment('OBX');
  seg.setValue(String(setId), 1);
  put(seg, 3, cwe(o.code as object));
  let unit: Components | undefined;
  const q = o.valueQuantity as Quantity | undefined;
  if (q && q.value !== undefined) {
    if (q.comparator) {
      seg.setValue('SN', 2);
      put(seg, 5, [q.comparator, String(q.value)]);
    } else {
      seg.setValue('NM', 2);
      seg.setValue(String(q.value), 5);
    }
    unit = units(q);
  } else if (o.valueRange) {
    const r = o.valueRange as { low?: Quantity; high?: Quantity };
    seg.setValue('SN', 2);
    put(seg, 5, [undefined, String(r.low?.value ?? ''), '-', String(r.high?.value ?? '')]);
    unit = units(r.low ?? r.high);
  } else if (o.valueRatio) {
    const r = o.valueRatio as { numerator?: Quantity; denominator?: Quantity };
    seg.setValue('SN', 2);
    put(seg, 5, [undefined, String(r.numerator?.value ?? ''), ':', String(r.denominator?.value ?? '')]);
  } else if (o.valueCodeableConcept) {
    seg.setValue('CWE', 2);
    put(seg, 5, cwe(o.valueCodeableConcept as object));
  } else if (o.valueDateTime) {
    seg.setValue('TS', 2);
    seg.setValue(v2DateTime(o.valueDateTime) ?? String(o.valueDateTime), 5);
  } else if (o.valueTime) {
    seg.setValue('TM', 2);
    seg.setValue(String(o.valueTime).replaceAll(':', ''), 5);
  } else if (typeof o.valueInteger === 'number') {
    seg.setValue('NM', 2);
    seg.setValue(String(o.valueInteger), 5);
  } else if (o.valueString !== undefined || o.valueBoolean !== undefined) {
    const text = String(o.valueString ?? o.valueBoolean);
    seg.setValue(text.includes('\n') ? 'TX' : 'ST', 2);
    text.split('\n').forEach((line, i) => {
      seg.setValue(line, 5, i + 1);
    });
  }
  if (unit) put(seg, 6, unit);
  const range = (o.referenceRange as { low?: Quantity; high?: Quantity; text?: string }[] | undefined)?.[0];
  const rangeText =
    range?.text ??
    (range?.low?.value !== undefined && range?.high?.value !== undefined
      ? `${range.low.value}-${range.high.value}`
      : range?.high?.value !== undefined
        ? `<${range.high.value}`
        : range?.low?.value !== undefined
          ? `>${range.low.value}`
          : undefined);
  if (rangeText) seg.setValue(rangeText, 7);
  const flags = ((o.interpretation as { coding?: { code?: string }[]; text?: string }[]) ?? [])
    .map((i) => i.coding?.find((c) => c.code && interpretationCodes.has(c.code))?.code ?? i.text)
    .filter((f): f is string => !!f);
  putAll(
    seg,
    8,
    flags.map((f) => [f]),
  );
  seg.setValue(reverse(observationStatus, (s) => s === o.status) ?? 'F', 11);
  const when = v2DateTime(o.effectiveDateTime ?? (o.effectivePeriod as { start?: string })?.start);
  if (when) seg.setValue(when, 14);
  return seg;
}
