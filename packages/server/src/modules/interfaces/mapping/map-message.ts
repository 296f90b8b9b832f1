import type { Bundle } from '@hospitium/fhir';
import type { ErrorLocation, Hl7Issue, Hl7Message } from '@hospitium/hl7v2';
import { adtEvents, mapAdt, type PatientMerge } from './adt.js';
import { BundleBuilder, type MappingSettings } from './bundle-builder.js';
import { mapDft } from './dft.js';
import { mapMdm, mdmEvents } from './mdm.js';
import { mapOrders } from './order.js';
import { mapOru } from './oru.js';
import { mapRde } from './rde.js';
import { mapSiu, siuEvents } from './siu.js';
import { mapVxu } from './vxu.js';

/** What one message becomes: a transaction Bundle and what the engine needs around it. */
export interface MappedMessage {
  bundle: Bundle;
  /** The segment each entry came from (same order as `bundle.entry`). */
  sources: ErrorLocation[];
  /** Warnings to report in the ACK (ERR with severity W). */
  issues: Hl7Issue[];
  /** Patient identifiers (`system|value`) for the message store. */
  patientIds: string[];
  /** A40 merges to complete inside the transaction. */
  merges: PatientMerge[];
  /** Entry index → fields to carry over from the stored resource. */
  preserve: Map<number, string[]>;
  /** Entry index → the resource must already exist (else AE naming the location). */
  mustExist: Map<number, { location: ErrorLocation; what: string }>;
  /** Entry index → values for fields neither the message nor the stored resource has. */
  fallbacks: Map<number, Record<string, unknown>>;
}

/** Message types and events this engine applies (`ADT^A01`, …, `ORU^R01`, `MDM^T02`, `RDE^O11`). */
export const supportedMessages: ReadonlySet<string> = new Set([
  ...adtEvents.map((e) => `ADT^${e}`),
  'ORU^R01',
  'VXU^V04',
  ...siuEvents.map((e) => `SIU^${e}`),
  ...mdmEvents.map((e) => `MDM^${e}`),
  'DFT^P03',
  'ORM^O01',
  'OML^O21',
  'RDE^O11',
]);

/**
 * Maps one message to FHIR. Throws OperationOutcomeError (expression = v2 location) when a
 * required element is missing; the caller has already checked the type is supported.
 */
export function mapMessage(message: Hl7Message, settings: MappingSettings): MappedMessage {
  const b = new BundleBuilder(message, settings);
  const code = message.messageCode;
  const event = message.triggerEvent ?? '';
  let merges: PatientMerge[] = [];
  if (code === 'ADT') merges = mapAdt(b, event);
  else if (code === 'ORU') mapOru(b);
  else if (code === 'VXU') mapVxu(b);
  else if (code === 'SIU') mapSiu(b, event);
  else if (code === 'MDM') mapMdm(b, event);
  else if (code === 'DFT') mapDft(b);
  else if (code === 'ORM' || code === 'OML') mapOrders(b);
  else if (code === 'RDE') mapRde(b);
  return {
    bundle: b.bundle(),
    sources: b.sources,
    issues: b.issues,
    patientIds: [...b.patientIds],
    merges,
    preserve: b.preserve,
    mustExist: b.mustExist,
    fallbacks: b.fallbacks,
  };
}
