import { formatDateTime } from '../codec/datetime.js';
import { type Delimiters, defaultDelimiters, encodingCharacters } from '../codec/delimiters.js';
import { ErrorCode, errorCodeText, type Hl7Issue } from '../codec/errors.js';
import { Hl7Message } from '../codec/message.js';
import type { SalvagedHeader } from '../codec/salvage.js';
import { Hl7Segment } from '../codec/segment.js';

/** Original-mode acknowledgement codes (table 0008). */
export const AckCode = { accept: 'AA', error: 'AE', reject: 'AR' } as const;
export type AckCode = (typeof AckCode)[keyof typeof AckCode];

export interface AckOptions {
  code: AckCode;
  /** Problems to report, one ERR segment each. */
  issues?: Hl7Issue[];
  /** MSH-10 of the ACK itself; default a time-based id. */
  controlId?: string;
  /** MSA-3 text message (optional, deprecated after v2.4 but still read by many peers). */
  text?: string;
  /** MSH-7; default now. */
  now?: Date;
}

/**
 * Builds an original-mode ACK for a message (or for the header salvaged from one that would not
 * parse): MSH with sender and receiver swapped and `ACK^<event>^ACK`, MSA with the code and the
 * original MSH-10, and one ERR per issue naming segment, field and problem (ERR-2 location,
 * ERR-3 table 0357 code, ERR-4 severity, ERR-8 text; ERR-1 too for versions before 2.5).
 */
export function buildAck(original: Hl7Message | SalvagedHeader, options: AckOptions): Hl7Message {
  const d: Delimiters = original instanceof Hl7Message ? original.delimiters : defaultDelimiters;
  const h: AckHeader = original instanceof Hl7Message ? headerOf(original) : original;
  const version = h.version ?? '2.5.1';
  const msh = new Hl7Segment('MSH', [[], [[[d.field]]], [[[encodingCharacters(d)]]]], d);
  setRaw(msh, 3, h.receivingApplicationRaw ?? esc(h.receivingApplication, d));
  setRaw(msh, 4, h.receivingFacilityRaw ?? esc(h.receivingFacility, d));
  setRaw(msh, 5, h.sendingApplicationRaw ?? esc(h.sendingApplication, d));
  setRaw(msh, 6, h.sendingFacilityRaw ?? esc(h.sendingFacility, d));
  msh.setValue(formatDateTime(options.now), 7);
  msh.setValue('ACK', 9, 1, 1);
  if (h.triggerEvent) msh.setValue(h.triggerEvent, 9, 1, 2);
  msh.setValue('ACK', 9, 1, 3);
  msh.setValue(options.controlId ?? `ACK${Date.now()}${Math.floor(Math.random() * 1000)}`, 10);
  msh.setValue(h.processingId ?? 'P', 11);
  msh.setValue(version, 12);

  const msa = new Hl7Segment('MSA', [[]], d);
  msa.setValue(options.code, 1);
  msa.setValue(h.controlId ?? '', 2);
  const firstText = options.text ?? options.issues?.[0]?.text;
  if (firstText) msa.setValue(firstText.slice(0, 80), 3);

  const legacy = /^2\.[34](\.|$)/.test(version);
  const errs = (options.issues ?? []).map((issue) => errSegment(issue, d, legacy));
  return new Hl7Message([msh, msa, ...errs], d);
}

function errSegment(issue: Hl7Issue, d: Delimiters, legacy: boolean): Hl7Segment {
  const err = new Hl7Segment('ERR', [[]], d);
  const loc = issue.location ?? {};
  const text = errorCodeText[issue.code] ?? errorCodeText[ErrorCode.applicationInternalError];
  if (legacy) {
    // ERR-1 (ELD): segment^sequence^field^code&text&HL70357
    if (loc.segment) err.setValue(loc.segment, 1, 1, 1);
    if (loc.sequence !== undefined) err.setValue(String(loc.sequence), 1, 1, 2);
    if (loc.field !== undefined) err.setValue(String(loc.field), 1, 1, 3);
    err.setValue(issue.code, 1, 1, 4, 1);
    err.setValue(text, 1, 1, 4, 2);
    err.setValue('HL70357', 1, 1, 4, 3);
  }
  if (loc.segment) err.setValue(loc.segment, 2, 1, 1);
  if (loc.sequence !== undefined) err.setValue(String(loc.sequence), 2, 1, 2);
  if (loc.field !== undefined) err.setValue(String(loc.field), 2, 1, 3);
  if (loc.repetition !== undefined) err.setValue(String(loc.repetition), 2, 1, 4);
  if (loc.component !== undefined) err.setValue(String(loc.component), 2, 1, 5);
  if (loc.subcomponent !== undefined) err.setValue(String(loc.subcomponent), 2, 1, 6);
  err.setValue(issue.code, 3, 1, 1);
  err.setValue(text, 3, 1, 2);
  err.setValue('HL70357', 3, 1, 3);
  err.setValue(issue.severity, 4);
  err.setValue(issue.text, 8);
  return err;
}

interface AckHeader extends SalvagedHeader {
  triggerEvent?: string;
  sendingApplicationRaw?: string;
  sendingFacilityRaw?: string;
  receivingApplicationRaw?: string;
  receivingFacilityRaw?: string;
}

function headerOf(m: Hl7Message): AckHeader {
  const raw = (n: number) => {
    const f = m.header.rawField(n);
    return f ? f[0].map((c) => c.join(m.delimiters.subcomponent)).join(m.delimiters.component) : undefined;
  };
  return {
    sendingApplicationRaw: raw(3),
    sendingFacilityRaw: raw(4),
    receivingApplicationRaw: raw(5),
    receivingFacilityRaw: raw(6),
    controlId: m.controlId,
    processingId: m.header.value(11),
    version: m.version,
    triggerEvent: m.triggerEvent,
  };
}

function esc(value: string | undefined, d: Delimiters): string {
  if (!value) return '';
  const probe = new Hl7Segment('ZZZ', [[]], d);
  probe.setValue(value, 1);
  return probe.fields[1][0][0][0];
}

/** Puts an already-escaped composite (`APP^1.2.3^ISO`) into field n. */
function setRaw(seg: Hl7Segment, n: number, raw: string): void {
  while (seg.fields.length <= n) seg.fields.push([[['']]]);
  seg.fields[n] = [raw.split(seg.delimiters.component).map((c) => c.split(seg.delimiters.subcomponent))];
}

/** Reads an ACK: MSA-1 code, MSA-2 acknowledged control id, ERR texts. */
export function readAck(message: Hl7Message): { code?: string; controlId?: string; errors: string[] } {
  return {
    code: message.get('MSA-1'),
    controlId: message.get('MSA-2'),
    errors: message
      .segmentsNamed('ERR')
      .map((e) => e.value(8) ?? e.component(3, 1, 2) ?? e.component(1) ?? 'error'),
  };
}
