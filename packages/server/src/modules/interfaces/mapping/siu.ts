import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { authoritySystem, codeableConcept, composite, humanName } from './datatypes.js';
import { mapLocation } from './location.js';
import { noteText } from './oru.js';
import { defaultSystem, mapPatient } from './patient.js';

/** SIU trigger events → Appointment.status (when SCH-25 does not say). */
const eventStatus: Record<string, string> = {
  S12: 'booked',
  S13: 'booked',
  S14: 'booked',
  S15: 'cancelled',
  S16: 'cancelled',
  S17: 'entered-in-error',
  S26: 'noshow',
};
/** Table 0278 filler status codes → Appointment.status. */
const fillerStatus: Record<string, string> = {
  booked: 'booked',
  cancelled: 'cancelled',
  complete: 'fulfilled',
  noshow: 'noshow',
  pending: 'pending',
  waitlist: 'waitlist',
  deleted: 'entered-in-error',
  started: 'arrived',
  overbook: 'booked',
  blocked: 'booked',
};
const unitMinutes: Record<string, number> = { s: 1 / 60, sec: 1 / 60, min: 1, m: 1, h: 60, hr: 60, d: 1440 };

export const siuEvents = [
  'S12',
  'S13',
  'S14',
  'S15',
  'S16',
  'S17',
  'S18',
  'S19',
  'S20',
  'S21',
  'S22',
  'S23',
  'S24',
  'S26',
] as const;

/**
 * SIU (S12–S26) → Appointment, matched by the filler appointment id (SCH-2, else placer SCH-1).
 * Status from SCH-25 (table 0278) or the event (S15/S16 cancelled, S17 entered in error, S26
 * no-show); start from the first AIS/AIL/AIP/AIG start time (or SCH-11), end from its duration;
 * service AIS-3, type SCH-8, reason SCH-7; participants: the patient, the room (AIL-3 as a
 * Location), the clinicians (AIP-3) and other resources (AIG-3); NTE → comment.
 */
export function mapSiu(b: BundleBuilder, event: string): void {
  const sch = b.message.segment('SCH');
  if (!sch) b.required({ segment: 'SCH', sequence: 1 }, 'schedule activity information');
  const pid = b.message.segment('PID');
  if (!pid) b.required({ segment: 'PID', sequence: 1 }, 'patient identification segment');
  const patient = mapPatient(b, pid);
  const appointmentId = composite(sch, 2) ?? composite(sch, 1);
  if (!appointmentId?.c(1)) b.required(b.at(sch, 2), 'filler appointment id');
  const key = {
    system:
      authoritySystem(appointmentId.c(2), appointmentId.c(3), appointmentId.c(4)) ??
      `${defaultSystem(b)}:appointment`,
    value: appointmentId.c(1) as string,
  };
  const tz = b.settings.timezoneOffset;
  const resources = b.message.segments.filter((s) => ['AIS', 'AIG', 'AIL', 'AIP'].includes(s.name));
  const timed = resources
    .map((s) => ({ s, start: parseDateTime(s.value(s.name === 'AIG' ? 8 : s.name === 'AIS' ? 4 : 6), tz) }))
    .find((t) => t.start);
  const start = timed?.start ?? parseDateTime(sch.value(11, 1, 4), tz);
  let end = parseDateTime(sch.value(11, 1, 5), tz);
  if (timed && !end) end = addDuration(timed.start as string, timed.s);
  const status =
    fillerStatus[(sch.component(25, 1, 1) ?? '').toLowerCase()] ?? eventStatus[event] ?? 'booked';

  const participant: Record<string, unknown>[] = [
    { actor: { reference: patient.fullUrl }, required: 'required', status: 'accepted' },
  ];
  for (const seg of resources) {
    if (seg.name === 'AIL') {
      const location = mapLocation(b, seg, 3);
      if (location) participant.push({ actor: { reference: location }, status: 'accepted' });
    } else if (seg.name === 'AIP') {
      const who = composite(seg, 3);
      const name = who && humanName({ c: (n) => who.c(n + 1), s: (n, m) => who.s(n + 1, m) });
      const display = name
        ? [...((name.given as string[]) ?? []), name.family].filter(Boolean).join(' ')
        : undefined;
      const role = composite(seg, 4);
      const roleConcept = role && codeableConcept(role);
      if (who) {
        participant.push({
          actor: {
            ...(who.c(1) ? { identifier: { value: who.c(1) } } : {}),
            ...(display ? { display } : {}),
          },
          ...(roleConcept ? { type: [roleConcept] } : {}),
          status: 'accepted',
        });
      }
    } else if (seg.name === 'AIG') {
      const what = composite(seg, 3);
      if (what?.c(2) ?? what?.c(1))
        participant.push({ actor: { display: what.c(2) ?? what.c(1) }, status: 'accepted' });
    }
  }
  const appointment: Resource = {
    resourceType: 'Appointment',
    identifier: [{ system: key.system, value: key.value }],
    status,
    participant,
  };
  if (start && end) {
    appointment.start = start;
    appointment.end = end;
    appointment.minutesDuration = Math.max(1, Math.round((Date.parse(end) - Date.parse(start)) / 60_000));
  } else if (!['proposed', 'cancelled', 'waitlist', 'entered-in-error', 'noshow'].includes(status)) {
    b.required(b.at(resources.find((s) => s.name === 'AIS') ?? sch, 4), 'appointment start and duration');
  }
  const ais = b.message.segment('AIS');
  const service = ais && composite(ais, 3);
  const serviceConcept = service && codeableConcept(service);
  if (serviceConcept) appointment.serviceType = [serviceConcept];
  const type = composite(sch, 8);
  const typeConcept = type && codeableConcept(type);
  if (typeConcept) appointment.appointmentType = typeConcept;
  const reason = composite(sch, 7);
  const reasonConcept = reason && codeableConcept(reason);
  if (reasonConcept) appointment.reasonCode = [reasonConcept];
  const comment = b.message.segmentsNamed('NTE').map(noteText).filter(Boolean).join('\n');
  if (comment) appointment.comment = comment;
  b.upsert(appointment, key, b.at(sch));
}

/** Start plus the segment's duration (AIS-7/8, AIL/AIP-9/10, AIG-11/12) as an instant. */
function addDuration(start: string, seg: Hl7Segment): string | undefined {
  const [durationField, unitField] = seg.name === 'AIS' ? [7, 8] : seg.name === 'AIG' ? [11, 12] : [9, 10];
  const amount = Number(seg.value(durationField));
  const unit = (seg.value(unitField) ?? 'min').toLowerCase();
  const perUnit = unitMinutes[unit];
  if (!Number.isFinite(amount) || amount <= 0 || perUnit === undefined || Number.isNaN(Date.parse(start)))
    return undefined;
  return new Date(Date.parse(start) + amount * perUnit * 60_000).toISOString();
}
