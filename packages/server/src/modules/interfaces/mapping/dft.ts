import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { codeableConcept, composite, composites, identifier } from './datatypes.js';
import { patientGroups } from './groups.js';
import { defaultSystem, type MappedPatient } from './patient.js';
import { practitionerReference } from './practitioner.js';
import { patientAndVisit } from './visit.js';

const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/**
 * DFT^P03 → one ChargeItem per FT1 charge (FT1-6 `CG`, or empty): code FT1-7 (else FT1-25
 * procedure code), quantity FT1-10, occurrence FT1-4 (a date or a range), price FT1-11 (extended
 * amount), performer FT1-20, enterer FT1-24, reason FT1-19, the patient, the visit (PV1-19, found
 * or created) as context and the patient account (PID-18) as an Account found or created. Matched
 * by FT1-2 (transaction id) when sent, else by message and FT1-1, so a resend never counts twice.
 * Credits, payments and adjustments (CD, PY, AJ) are not charges: skipped with a warning.
 */
export function mapDft(b: BundleBuilder): void {
  const groups = patientGroups(b.message);
  if (groups.length === 0) b.required({ segment: 'PID', sequence: 1 }, 'patient identification segment');
  for (const group of groups) {
    const { patient, encounter } = patientAndVisit(b, group, 'P03');
    const charges = group.segments.filter((s) => s.name === 'FT1');
    if (charges.length === 0) b.required({ segment: 'FT1', sequence: 1 }, 'financial transaction');
    const account = mapAccount(b, group.pid, patient);
    for (const ft1 of charges) mapCharge(b, ft1, patient, encounter, account);
  }
}

function mapAccount(b: BundleBuilder, pid: Hl7Segment, patient: MappedPatient): string | undefined {
  const cx = composite(pid, 18);
  const id = cx && identifier(cx, `${defaultSystem(b)}:account`);
  if (!id) return undefined;
  const key = { system: id.system as string, value: id.value as string };
  return b.ensure(
    {
      resourceType: 'Account',
      identifier: [{ system: key.system, value: key.value }],
      status: 'active',
      subject: [{ reference: patient.fullUrl }],
    },
    key,
    b.at(pid, 18),
  );
}

function mapCharge(
  b: BundleBuilder,
  ft1: Hl7Segment,
  patient: MappedPatient,
  encounter: string | undefined,
  account: string | undefined,
): void {
  const type = ft1.value(6) ?? 'CG';
  if (type !== 'CG') {
    b.warn(b.at(ft1, 6), `transaction type '${type}' is not a charge; skipped`);
    return;
  }
  const codeField = composite(ft1, 7) ?? composite(ft1, 25);
  const code = codeField && codeableConcept(codeField);
  if (!code) b.required(b.at(ft1, 7), 'transaction code');
  const tz = b.settings.timezoneOffset;
  const transactionId = ft1.value(2);
  const key = transactionId
    ? { system: `${defaultSystem(b)}:charge`, value: transactionId }
    : {
        system: 'urn:hospitium:hl7v2:charge',
        value: [defaultSystem(b), b.message.controlId, b.at(ft1).sequence].join('|'),
      };
  const charge: Resource = {
    resourceType: 'ChargeItem',
    identifier: [{ system: key.system, value: key.value }],
    status: 'billable',
    code,
    subject: { reference: patient.fullUrl },
  };
  if (encounter) charge.context = { reference: encounter };
  if (account) charge.account = [{ reference: account }];
  const quantity = ft1.value(10);
  if (quantity && numberPattern.test(quantity)) charge.quantity = { value: Number(quantity) };
  else if (quantity) b.warn(b.at(ft1, 10), `'${quantity}' is not a number; quantity left out`);
  const start = parseDateTime(ft1.value(4, 1, 1), tz);
  const end = parseDateTime(ft1.value(4, 1, 2), tz);
  if (start && end) charge.occurrencePeriod = { start, end };
  else if (start) charge.occurrenceDateTime = start;
  const posted = parseDateTime(ft1.value(5), tz);
  if (posted) charge.enteredDate = posted;
  const amount = ft1.value(11, 1, 1);
  if (amount && numberPattern.test(amount))
    charge.priceOverride = {
      value: Number(amount),
      ...(ft1.value(11, 1, 1, 2) ? { currency: ft1.value(11, 1, 1, 2) } : {}),
    };
  const performers = composites(ft1, 20)
    .map(practitionerReference)
    .filter((r) => r !== undefined)
    .map((actor) => ({ actor }));
  if (performers.length) charge.performer = performers;
  const enterer = practitionerReference(composite(ft1, 24));
  if (enterer) charge.enterer = enterer;
  const reasons = composites(ft1, 19)
    .map(codeableConcept)
    .filter((c) => c !== undefined);
  if (reasons.length) charge.reason = reasons;
  b.upsert(charge, key, b.at(ft1));
}
