/**
 * Named v2 fixtures for the engine tests of the messages about care during a stay: a document
 * (MDM), charges (DFT), lab orders (ORM) and a pharmacy order (RDE), for a patient admitted with
 * `admit()` from `messages.ts` (same MRN and visit number).
 */
import type { StayOptions } from './messages.js';

const msh = (type: string, controlId: string) =>
  `MSH|^~\\&|CARE|GOOD HEALTH^2.16.840.1.113883.19.1^ISO|HOSPITIUM|HOSP|20260110083000+0100||${type}|${controlId}|P|2.5.1`;
const pid = (o: StayOptions) =>
  `PID|1||${o.mrn}^^^GHH&2.16.840.1.113883.19.5&ISO^MR||Everyman^Adam||19800115|M`;
const pv1 = (o: StayOptions) =>
  `PV1|1|I|4E^136^B^GHH||||||||||||||||${o.visit}^^^GHH&2.16.840.1.113883.19.5&ISO^VN`;

/** MDM^T02: a discharge summary (document `doc`) with two lines of text. */
export function dischargeSummary(o: StayOptions, doc: string, completion = 'AU'): string {
  return [
    msh('MDM^T02^MDM_T02', o.controlId),
    'EVN|T02|20260112100000+0100',
    pid(o),
    pv1(o),
    `TXA|1|DS|TX|20260112093000+0100||20260112095000+0100|||0148^Attending^Alice^^^Dr|||${doc}^HIS|||||${completion}||AV`,
    'OBX|1|TX|DS^Discharge summary^L||Admitted with chest pain.||||||F',
    'OBX|2|TX|DS^Discharge summary^L||Discharged home on aspirin.||||||F',
  ].join('\r');
}

/** MDM^T03-like status change without content (T01 shape): the document becomes obsolete. */
export function documentObsolete(o: StayOptions, doc: string): string {
  return [
    msh('MDM^T01^MDM_T01', o.controlId),
    pid(o),
    pv1(o),
    `TXA|1|DS|TX|20260113093000+0100||||||||${doc}^HIS|||||AU||OB`,
  ].join('\r');
}

/** DFT^P03: a chest X-ray (transaction `tx`) and a panel charged to the visit. */
export function charges(o: StayOptions, tx: string): string {
  return [
    msh('DFT^P03^DFT_P03', o.controlId),
    'EVN|P03|20260111120000+0100',
    `${pid(o)}||||||||||ACC-${o.visit}^^^GHH^AN`,
    pv1(o),
    `FT1|1|${tx}||20260111110000+0100||CG|71045^Xray exam chest 1 view^C4|||1|85&USD||||||||||0148^Attending^Alice`,
    'FT1|2|||20260111070000+0100||CG|80053^Comprehensive metabolic panel^C4|||1|40&USD',
  ].join('\r');
}

/** ORM^O01 with the given order control (NW, CA, DC, XO) for placer number `placer`. */
export function labOrder(o: StayOptions, placer: string, control = 'NW', withDetail = true): string {
  return [
    msh('ORM^O01^ORM_O01', o.controlId),
    pid(o),
    pv1(o),
    `ORC|${control}|${placer}^CPOE|||||||20260111080000+0100|||0148^Attending^Alice^^^Dr`,
    ...(withDetail ? ['TQ1|1||||||20260111090000+0100||S', 'OBR|1|||2345-7^Glucose^LN'] : []),
  ].join('\r');
}

/** RDE^O11: paracetamol 650 mg orally every 6 hours; `giveCode` empty makes it broken. */
export function pharmacyOrder(
  o: StayOptions,
  placer: string,
  giveCode = '313782^Acetaminophen 325 MG Oral Tablet^RXNORM',
): string {
  return [
    msh('RDE^O11^RDE_O11', o.controlId),
    pid(o),
    pv1(o),
    `ORC|NW|${placer}^CPOE|||||||20260111080000+0100|||0148^Attending^Alice^^^Dr`,
    `RXE||${giveCode}|650||mg^milligram^UCUM|||||30|TAB^tablet^L|2`,
    'TQ1|1||Q6H||||20260111090000+0100',
    'RXR|PO^Oral',
  ].join('\r');
}

/** ADT^A11: the admission of `admit()` is cancelled. */
export function cancelAdmit(o: StayOptions): string {
  return [
    msh('ADT^A11^ADT_A09', o.controlId),
    'EVN|A11|20260110090000+0100',
    pid(o),
    `PV1|1|I|4E^136^B^GHH||||||||||||||||${o.visit}^^^GHH&2.16.840.1.113883.19.5&ISO^VN`,
  ].join('\r');
}
