import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import {
  medicationStatus,
  medicationStopped,
  orderPriority,
  ordersOnExisting,
  routeOfAdministration,
} from './codes/orders.js';
import { toUcum } from './codes/units.js';
import { type Composite, codeableConcept, composite, composites } from './datatypes.js';
import { patientGroups } from './groups.js';
import {
  type OrderGroup,
  orderGroups,
  orderIdentity,
  orderNotes,
  orderSegment,
  repeatTiming,
  requestPriority,
  requestStatus,
  requestTiming,
  timingSegment,
} from './order-control.js';
import type { MappedPatient } from './patient.js';
import { practitionerReference } from './practitioner.js';
import { patientAndVisit } from './visit.js';

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const keptOnUpdate = [
  'medicationCodeableConcept',
  'dosageInstruction',
  'dispenseRequest',
  'priority',
  'authoredOn',
  'requester',
  'encounter',
  'note',
  'status',
];

/**
 * RDE^O11 → one MedicationRequest per ORC/RXE, matched by the placer order number (ORC-2, else
 * the filler number ORC-3): medication RXE-2 (give code), dose RXE-3 (RXE-4 the maximum: a
 * range) in units RXE-5 (UCUM when known), route RXR-1 (table 0162), frequency TQ1-3 (or RXE-1.2
 * in v2.3/2.4) with TQ1-7..8 as bounds, instructions RXE-7, dispense amount RXE-10/11 and refills
 * RXE-12, requester ORC-12 (else RXE-13), authored ORC-9, status from ORC-5/ORC-1 (NW active,
 * CA cancelled, DC stopped, HD on hold). Cancels and changes must name a known order.
 */
export function mapRde(b: BundleBuilder): void {
  const groups = patientGroups(b.message);
  if (groups.length === 0) b.required({ segment: 'PID', sequence: 1 }, 'patient identification segment');
  for (const group of groups) {
    const { patient, encounter } = patientAndVisit(b, group, 'O11');
    const orders = orderGroups(group.segments, 'RXE');
    if (orders.length === 0) b.required({ segment: 'ORC', sequence: 1 }, 'common order segment');
    for (const order of orders) mapMedicationRequest(b, order, patient, encounter);
  }
}

function mapMedicationRequest(
  b: BundleBuilder,
  order: OrderGroup,
  patient: MappedPatient,
  encounter: string | undefined,
): void {
  const rxe = order.detail;
  if (!rxe)
    b.required(order.orc ? b.at(order.orc) : { segment: 'RXE', sequence: 1 }, 'pharmacy encoded order (RXE)');
  const { key, identifiers } = orderIdentity(b, order);
  const give = composite(rxe, 2);
  const medication = give && codeableConcept(give);
  if (!medication) b.required(b.at(rxe, 2), 'give code');
  const control = order.orc?.value(1) ?? '';
  const requested = requestStatus(order);
  const status =
    requested === 'revoked' &&
    (medicationStopped.has(control) || medicationStopped.has(order.orc?.value(5) ?? ''))
      ? 'stopped'
      : requested && medicationStatus[requested];
  const request: Resource = {
    resourceType: 'MedicationRequest',
    identifier: identifiers,
    intent: 'order',
    medicationCodeableConcept: medication,
    subject: { reference: patient.fullUrl },
  };
  if (status) request.status = status;
  if (encounter) request.encounter = { reference: encounter };
  const tq1 = timingSegment(order);
  const priority = requestPriority(order, tq1) ?? orderPriority[rxe.value(1, 1, 6) ?? ''];
  if (priority) request.priority = priority;
  const authored = parseDateTime(order.orc?.value(9), b.settings.timezoneOffset);
  if (authored) request.authoredOn = authored;
  const requester = practitionerReference((order.orc && composite(order.orc, 12)) ?? composite(rxe, 13));
  if (requester) request.requester = requester;
  const dosage = dosageInstruction(b, order, rxe, tq1);
  if (dosage) request.dosageInstruction = [dosage];
  const dispense = dispenseRequest(b, rxe);
  if (dispense) request.dispenseRequest = dispense;
  const notes = orderNotes(order);
  if (notes.length) request.note = notes;

  const url = b.upsert(request, key, b.at(order.orc ?? rxe), keptOnUpdate);
  const index = b.indexOf(url);
  if (order.orc && ordersOnExisting.has(control))
    b.mustExist.set(index, { location: b.at(order.orc, 2), what: `Order ${key.value} (ORC-2)` });
  b.fallbacks.set(index, { status: 'unknown' });
}

/** A v2 amount with its CWE unit as a Quantity (UCUM when the unit is known). */
function quantity(amount: string, unit: Composite | undefined): Record<string, unknown> {
  const ucum = toUcum(unit?.c(1), unit?.c(3));
  const text = unit?.c(2) ?? unit?.c(1);
  return {
    value: Number(amount),
    ...(text ? { unit: text } : {}),
    ...(ucum ? { system: 'http://unitsofmeasure.org', code: ucum } : {}),
  };
}

function dosageInstruction(
  b: BundleBuilder,
  order: OrderGroup,
  rxe: Hl7Segment,
  tq1: Hl7Segment | undefined,
): Record<string, unknown> | undefined {
  const dosage: Record<string, unknown> = {};
  const instructions = composites(rxe, 7)
    .map((c) => c.c(2) ?? c.c(1))
    .filter(Boolean);
  if (instructions.length) dosage.text = instructions.join('\n');
  const min = rxe.value(3);
  const max = rxe.value(4);
  const units = composite(rxe, 5);
  if (min && numberPattern.test(min)) {
    dosage.doseAndRate = [
      max && numberPattern.test(max) && max !== min
        ? { doseRange: { low: quantity(min, units), high: quantity(max, units) } }
        : { doseQuantity: quantity(min, units) },
    ];
  } else if (min) b.warn(b.at(rxe, 3), `give amount '${min}' is not a number; dose left out`);
  const rxr = orderSegment(order, 'RXR');
  const route = rxr && composite(rxr, 1);
  if (route) {
    const known =
      !route.c(3) || route.c(3) === 'HL70162' ? routeOfAdministration[route.c(1) ?? ''] : undefined;
    dosage.route = known
      ? { coding: [known], ...(route.c(2) ? { text: route.c(2) } : {}) }
      : codeableConcept(route);
  }
  const site = rxr && composite(rxr, 2);
  const siteConcept = site && codeableConcept(site);
  if (siteConcept) dosage.site = siteConcept;
  const timing: Record<string, unknown> = repeatTiming(tq1?.value(3) ?? rxe.value(1, 1, 2)) ?? {};
  const { start, end } = requestTiming(b, order, tq1);
  const bounds = start || end ? { ...(start ? { start } : {}), ...(end ? { end } : {}) } : undefined;
  if (bounds) timing.repeat = { ...((timing.repeat as object) ?? {}), boundsPeriod: bounds };
  if (Object.keys(timing).length) dosage.timing = timing;
  return Object.keys(dosage).length ? dosage : undefined;
}

function dispenseRequest(b: BundleBuilder, rxe: Hl7Segment): Record<string, unknown> | undefined {
  const amount = rxe.value(10);
  const refills = rxe.value(12);
  const dispense: Record<string, unknown> = {};
  if (amount && numberPattern.test(amount)) dispense.quantity = quantity(amount, composite(rxe, 11));
  else if (amount) b.warn(b.at(rxe, 10), `dispense amount '${amount}' is not a number; left out`);
  if (refills && /^\d+$/.test(refills)) dispense.numberOfRepeatsAllowed = Number(refills);
  return Object.keys(dispense).length ? dispense : undefined;
}
