import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { eventEncounterStatus, patientClass } from './codes/v2-tables.js';
import { codeableConcept, composite, composites, humanName, identifier } from './datatypes.js';
import { mapLocation } from './location.js';
import { defaultSystem, type MappedPatient } from './patient.js';

/**
 * PV1 (+PV2) → Encounter, matched by the visit number (PV1-19) through a conditional update.
 * Status from the trigger event (v2-to-FHIR TriggerEvent → Encounter.status); for A08 and other
 * events that carry no status, from PV1-45 (discharged: finished) or PV1-44 (admitted: in
 * progress). Class from PV1-2 (table 0004); period PV1-44..45 (EVN-6/EVN-2 when absent);
 * location PV1-3 (bed, room, ward) and, on a transfer, PV1-6 as the completed prior location.
 * Without a visit number the encounter can only be created, so that happens on the events that
 * start a visit (A01, A04, A05, A06, A07) and is skipped with a warning otherwise.
 * With `matchOnly` (messages about something that happened during a visit: documents, charges,
 * orders) the visit is referenced as it is stored, and created from PV1 only when unknown.
 */
export function mapEncounter(
  b: BundleBuilder,
  pv1: Hl7Segment,
  patient: MappedPatient,
  event: string,
  options: { matchOnly?: boolean } = {},
): string | undefined {
  const tz = b.settings.timezoneOffset;
  const evn = b.message.segment('EVN');
  const eventTime = parseDateTime(evn?.value(6) ?? evn?.value(2) ?? b.message.header.value(7), tz);
  const visit = composite(pv1, 19);
  const id = visit && identifier(visit, `${defaultSystem(b)}:visit`);
  const admitted = parseDateTime(pv1.value(44), tz);
  const discharged = parseDateTime(pv1.value(45), tz);

  const status =
    eventEncounterStatus[event] ?? (discharged ? 'finished' : admitted ? 'in-progress' : 'unknown');
  const klass = patientClass[pv1.value(2) ?? ''] ?? patientClass.U;
  const start = admitted ?? (['A01', 'A04', 'A06', 'A07'].includes(event) ? eventTime : undefined);
  const end =
    event === 'A13' || event === 'A11'
      ? undefined
      : (discharged ?? (event === 'A03' ? eventTime : undefined));

  const encounter: Resource = {
    resourceType: 'Encounter',
    status,
    class: { system: klass.system, code: klass.code, display: klass.display },
    subject: { reference: patient.fullUrl },
  };
  if (id) encounter.identifier = [{ ...id, use: 'official' }];
  if (start || end) encounter.period = { ...(start ? { start } : {}), ...(end ? { end } : {}) };
  const service = composite(pv1, 10);
  if (service)
    encounter.serviceType = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0069', code: service.c(1) }],
    };
  const participants = [
    ...composites(pv1, 7).map((x) => participant(x, 'ATND', 'attender')),
    ...composites(pv1, 8).map((x) => participant(x, 'REF', 'referrer')),
    ...composites(pv1, 9).map((x) => participant(x, 'CON', 'consultant')),
  ].filter((p) => p !== undefined);
  if (participants.length) encounter.participant = participants;
  const hospitalization: Record<string, unknown> = {};
  const admitSource = pv1.value(14);
  if (admitSource)
    hospitalization.admitSource = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0023', code: admitSource }],
    };
  const readmission = pv1.value(13);
  if (readmission)
    hospitalization.reAdmission = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0092', code: readmission }],
    };
  const disposition = pv1.value(36);
  if (disposition)
    hospitalization.dischargeDisposition = {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0112', code: disposition }],
    };
  if (Object.keys(hospitalization).length) encounter.hospitalization = hospitalization;
  const pv2 = b.message.segment('PV2');
  const reason = pv2 && composite(pv2, 3);
  const reasonConcept = reason && codeableConcept(reason);
  if (reasonConcept) encounter.reasonCode = [reasonConcept];

  const locations: Record<string, unknown>[] = [];
  const current = mapLocation(b, pv1, 3);
  if (event === 'A02') {
    const prior = mapLocation(b, pv1, 6);
    if (prior && prior !== current) locations.push({ location: { reference: prior }, status: 'completed' });
  }
  if (current) {
    locations.push({
      location: { reference: current },
      // A cancelled admission (A11) frees the bed as a discharge does.
      status:
        status === 'finished' || status === 'cancelled'
          ? 'completed'
          : status === 'planned'
            ? 'planned'
            : 'active',
      ...(event === 'A02' && eventTime ? { period: { start: eventTime } } : {}),
    });
  }
  if (locations.length) encounter.location = locations;

  if (id) {
    const key = { system: id.system as string, value: id.value as string };
    return options.matchOnly ? b.ensure(encounter, key, b.at(pv1)) : b.upsert(encounter, key, b.at(pv1));
  }
  if (['A01', 'A04', 'A05', 'A06', 'A07'].includes(event)) return b.create(encounter, b.at(pv1));
  b.warn(b.at(pv1, 19), 'no visit number: the encounter cannot be matched and was not updated');
  return undefined;
}

function participant(
  xcn: { c(n: number): string | undefined; s(n: number, m: number): string | undefined },
  code: string,
  display: string,
) {
  const name = humanName({ c: (n) => xcn.c(n + 1), s: (n, m) => xcn.s(n + 1, m) });
  const id = xcn.c(1);
  if (!name && !id) return undefined;
  const text = name
    ? [...((name.given as string[]) ?? []), name.family].filter(Boolean).join(' ')
    : undefined;
  return {
    type: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code, display }] },
    ],
    individual: {
      ...(id ? { identifier: { value: id } } : {}),
      ...(text ? { display: text } : {}),
    },
  };
}
