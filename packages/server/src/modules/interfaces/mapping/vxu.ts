import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDate, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { authoritySystem, codeableConcept, composite } from './datatypes.js';
import { patientGroups } from './groups.js';
import { defaultSystem, type MappedPatient, mapPatient } from './patient.js';

/** RXA-20 completion status (table 0322) → Immunization.status. */
const completionStatus: Record<string, string> = {
  CP: 'completed',
  PA: 'completed',
  RE: 'not-done',
  NA: 'not-done',
};

/**
 * VXU^V04 → Patient (as in ADT) and one Immunization per RXA: vaccine RXA-5 (CVX), date RXA-3,
 * dose RXA-6/7 (`999` = unknown, left out), lot RXA-15, expiry RXA-16, manufacturer RXA-17,
 * completion status RXA-20 (refusal reason RXA-18), route and site from the RXR that follows,
 * primary source from RXA-9 (`00` = new immunization record). Matched by ORC-3 (filler order
 * number) when sent, otherwise by patient, vaccine and date, so a resend updates.
 */
export function mapVxu(b: BundleBuilder): void {
  const groups = patientGroups(b.message);
  if (groups.length === 0) b.required({ segment: 'PID', sequence: 1 }, 'patient identification segment');
  for (const group of groups) {
    const patient = mapPatient(b, group.pid);
    let orc: Hl7Segment | undefined;
    let current: Resource | undefined;
    for (const seg of group.segments) {
      if (seg.name === 'ORC') orc = seg;
      else if (seg.name === 'RXA') {
        current = mapImmunization(b, seg, orc, patient);
        orc = undefined;
      } else if (seg.name === 'RXR' && current) {
        const route = composite(seg, 1);
        const site = composite(seg, 2);
        const routeConcept = route && codeableConcept(route);
        const siteConcept = site && codeableConcept(site);
        if (routeConcept) current.route = routeConcept;
        if (siteConcept) current.site = siteConcept;
      }
    }
  }
}

function mapImmunization(
  b: BundleBuilder,
  rxa: Hl7Segment,
  orc: Hl7Segment | undefined,
  patient: MappedPatient,
): Resource | undefined {
  const vaccine = composite(rxa, 5);
  const vaccineCode = vaccine && codeableConcept(vaccine);
  if (!vaccineCode) b.required(b.at(rxa, 5), 'administered code');
  const when = parseDateTime(rxa.value(3), b.settings.timezoneOffset);
  if (!when) b.required(b.at(rxa, 3), 'date/time start of administration');
  const status = completionStatus[rxa.value(20) ?? ''] ?? 'completed';
  const filler = orc && composite(orc, 3);
  const key = filler?.c(1)
    ? {
        system: authoritySystem(filler.c(2), filler.c(3), filler.c(4)) ?? `${defaultSystem(b)}:order`,
        value: filler.c(1) as string,
      }
    : {
        system: 'urn:hospitium:hl7v2:immunization',
        value: [
          patient.key.system,
          patient.key.value,
          vaccine.c(3) ?? '',
          vaccine.c(1) ?? vaccine.c(2) ?? '',
          rxa.value(3) ?? '',
        ].join('|'),
      };
  const immunization: Resource = {
    resourceType: 'Immunization',
    identifier: [{ system: key.system, value: key.value }],
    status,
    vaccineCode,
    patient: { reference: patient.fullUrl },
    occurrenceDateTime: when,
    primarySource: rxa.value(9, 1, 1) === '00',
  };
  const amount = rxa.value(6);
  if (amount && amount !== '999' && /^\d+(\.\d+)?$/.test(amount)) {
    const unit = rxa.value(7, 1, 1);
    immunization.doseQuantity = {
      value: Number(amount),
      ...(unit
        ? {
            unit,
            ...(rxa.value(7, 1, 3) === 'UCUM' ? { system: 'http://unitsofmeasure.org', code: unit } : {}),
          }
        : {}),
    };
  }
  const lot = rxa.value(15);
  if (lot) immunization.lotNumber = lot;
  const expiry = parseDate(rxa.value(16));
  if (expiry) immunization.expirationDate = expiry;
  const manufacturer = composite(rxa, 17);
  if (manufacturer) immunization.manufacturer = { display: manufacturer.c(2) ?? manufacturer.c(1) };
  const refusal = composite(rxa, 18);
  const refusalConcept = refusal && codeableConcept(refusal);
  if (status === 'not-done' && refusalConcept) immunization.statusReason = refusalConcept;
  b.upsert(immunization, key, b.at(rxa));
  return immunization;
}
