import type { Resource } from '@hospitium/fhir';
import { parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { ordersOnExisting } from './codes/orders.js';
import { codeableConcept, composite, composites } from './datatypes.js';
import { patientGroups } from './groups.js';
import {
  type OrderGroup,
  orderGroups,
  orderIdentity,
  orderNotes,
  requestPriority,
  requestStatus,
  requestTiming,
  timingSegment,
} from './order-control.js';
import type { MappedPatient } from './patient.js';
import { practitionerReference } from './practitioner.js';
import { patientAndVisit } from './visit.js';

/** What an order update leaves out keeps its stored value (a cancel rarely repeats the test). */
const keptOnUpdate = [
  'code',
  'category',
  'priority',
  'occurrence[x]',
  'authoredOn',
  'requester',
  'reasonCode',
  'encounter',
  'note',
  'status',
];

/**
 * ORM^O01 / OML^O21 → one ServiceRequest per order (ORC with its OBR; an OBR alone; an ORC
 * alone for diet or supply orders), matched by the placer order number (ORC-2, else OBR-2; else
 * the filler number): placer and filler numbers as identifiers, status from ORC-5 or ORC-1 (NW
 * active, CA/DC revoked, XO active, HD on hold), code OBR-4 (ODS-3, RQD-2 without OBR),
 * priority, requester ORC-12 (else OBR-16), reason OBR-31, occurrence TQ1-7..8 (ORC-7),
 * authored ORC-9, notes NTE. A cancel, discontinue or change (ORC-1 CA DC XO HD RL) must name an
 * order already known, else AE naming ORC-2; what it leaves out keeps its stored value.
 */
export function mapOrders(b: BundleBuilder): void {
  const groups = patientGroups(b.message);
  if (groups.length === 0) b.required({ segment: 'PID', sequence: 1 }, 'patient identification segment');
  for (const group of groups) {
    const { patient, encounter } = patientAndVisit(b, group, b.message.triggerEvent ?? '');
    const orders = orderGroups(group.segments, 'OBR');
    if (orders.length === 0) b.required({ segment: 'ORC', sequence: 1 }, 'common order segment');
    for (const order of orders) mapServiceRequest(b, order, patient, encounter);
  }
}

function mapServiceRequest(
  b: BundleBuilder,
  order: OrderGroup,
  patient: MappedPatient,
  encounter: string | undefined,
): void {
  const { key, identifiers } = orderIdentity(b, order);
  const obr = order.detail;
  const status = requestStatus(order);
  const request: Resource = {
    resourceType: 'ServiceRequest',
    identifier: identifiers,
    intent: 'order',
    subject: { reference: patient.fullUrl },
  };
  if (status) request.status = status;
  else if (order.orc?.value(1) && order.orc.value(1) !== 'SC')
    b.warn(b.at(order.orc, 1), `order control '${order.orc.value(1)}' does not say a status; status kept`);
  if (encounter) request.encounter = { reference: encounter };
  const other = order.segments.find((s) => s.name === 'ODS' || s.name === 'RQD');
  const codeField = obr ? composite(obr, 4) : other && composite(other, other.name === 'ODS' ? 3 : 2);
  const code = codeField && codeableConcept(codeField);
  if (obr && !code) b.required(b.at(obr, 4), 'universal service identifier');
  if (code) request.code = code;
  if (other?.name === 'ODS')
    request.category = [
      { coding: [{ system: 'http://snomed.info/sct', code: '387045004', display: 'Diet' }] },
    ];
  const tq1 = timingSegment(order);
  const priority = requestPriority(order, tq1);
  if (priority) request.priority = priority;
  const { start, end } = requestTiming(b, order, tq1);
  if (start && end) request.occurrencePeriod = { start, end };
  else if (start) request.occurrenceDateTime = start;
  const authored = parseDateTime(order.orc?.value(9), b.settings.timezoneOffset);
  if (authored) request.authoredOn = authored;
  const requester = practitionerReference(
    (order.orc && composite(order.orc, 12)) ?? (obr && composite(obr, 16)),
  );
  if (requester) request.requester = requester;
  const reasons = (obr ? composites(obr, 31) : []).map(codeableConcept).filter((c) => c !== undefined);
  if (reasons.length) request.reasonCode = reasons;
  const notes = orderNotes(order);
  if (notes.length) request.note = notes;

  const source = b.at(order.orc ?? (obr as NonNullable<typeof obr>));
  const url = b.upsert(request, key, source, keptOnUpdate);
  const index = b.indexOf(url);
  const control = order.orc?.value(1) ?? '';
  if (order.orc && ordersOnExisting.has(control))
    b.mustExist.set(index, { location: b.at(order.orc, 2), what: `Order ${key.value} (ORC-2)` });
  b.fallbacks.set(index, { status: 'unknown' });
}
