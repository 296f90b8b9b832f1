import { conflict } from '@hospitium/fhir';
import type { EncounterLocation, EncounterResource, LocationResource } from './beds.js';
import { adtSystems } from './codes.js';

/**
 * How an inpatient stay is written on the Encounter, so that the location history is kept:
 * `Encounter.location` lists every place with its period; the current places are `active`
 * (the unit first, the bed last: the outbound HL7 reads the last active one as PV1-3) and the
 * places left are `completed` with their end.
 */

const physical = (code: 'bd' | 'wa', display: string) => ({
  coding: [{ system: adtSystems.physicalType, code, display }],
});

/** The ids of the beds this encounter holds now (active locations typed as beds, or named in `beds`). */
export function heldBeds(encounter: EncounterResource, knownBeds?: ReadonlySet<string>): string[] {
  return (encounter.location ?? [])
    .filter((l) => (l.status ?? 'active') === 'active')
    .filter(
      (l) =>
        l.physicalType?.coding?.some((c) => c.code === 'bd') ||
        knownBeds?.has(l.location.reference?.slice('Location/'.length) ?? '') === true,
    )
    .flatMap((l) => (l.location.reference?.startsWith('Location/') ? [l.location.reference.slice(9)] : []));
}

/** Closes the active places at `time` and makes the bed (and its unit) the current ones. */
export function moveTo(
  encounter: EncounterResource,
  bed: LocationResource,
  unit: LocationResource | undefined,
  time: string,
): EncounterLocation[] {
  const closed = leaveAll(encounter, time);
  return [
    ...closed,
    ...(unit
      ? [
          {
            location: { reference: `Location/${unit.id}`, display: unit.name },
            status: 'active' as const,
            physicalType: physical('wa', 'Ward'),
            period: { start: time },
          },
        ]
      : []),
    {
      location: { reference: `Location/${bed.id}`, display: bed.name },
      status: 'active' as const,
      physicalType: physical('bd', 'Bed'),
      period: { start: time },
    },
  ];
}

/** Every active place closed at `time` (a discharge). */
export function leaveAll(encounter: EncounterResource, time: string): EncounterLocation[] {
  return (encounter.location ?? []).map((l) => {
    if ((l.status ?? 'active') !== 'active') return l;
    const start = l.period?.start;
    if (start && Date.parse(start) > Date.parse(time)) {
      throw conflict(
        `The time ${time} is before the patient arrived at ${l.location.display ?? l.location.reference} (${start})`,
      );
    }
    return { ...l, status: 'completed' as const, period: { ...l.period, end: time } };
  });
}

/** The attending participant (ATND) set to `practitionerId` from `time`; the previous one's period ends. */
export function withAttending(
  encounter: EncounterResource,
  practitionerId: string | undefined,
  display: string | undefined,
  time: string,
): EncounterResource['participant'] {
  const participants = encounter.participant ?? [];
  if (!practitionerId) return encounter.participant;
  const isAttending = (p: NonNullable<EncounterResource['participant']>[number]) =>
    p.type?.some((t) => t.coding?.some((c) => c.code === 'ATND')) ?? false;
  const current = participants.find((p) => isAttending(p) && !p.period?.end);
  if (current?.individual?.reference === `Practitioner/${practitionerId}`) return participants;
  return [
    ...participants.map((p) => (p === current ? { ...p, period: { ...p.period, end: time } } : p)),
    {
      type: [{ coding: [{ system: adtSystems.participantType, code: 'ATND', display: 'attender' }] }],
      individual: { reference: `Practitioner/${practitionerId}`, ...(display ? { display } : {}) },
      period: { start: time },
    },
  ];
}

/** The status history with the current status closed at `time` and `next` opened. */
export function nextStatus(
  encounter: EncounterResource,
  next: string,
  time: string,
): Pick<EncounterResource, 'status' | 'statusHistory'> {
  const history = [...(encounter.statusHistory ?? [])];
  const open = history.findIndex((h) => h.status === encounter.status && !h.period.end);
  if (open >= 0) history[open] = { ...history[open], period: { ...history[open].period, end: time } };
  else
    history.push({ status: encounter.status, period: { start: encounter.period?.start ?? time, end: time } });
  history.push({ status: next, period: { start: time } });
  return { status: next, statusHistory: history };
}

/** 409 unless the encounter is an inpatient stay in one of `statuses` (what the operation can act on). */
export function expectStay(
  encounter: EncounterResource,
  statuses: readonly string[],
  operation: string,
): void {
  if (!statuses.includes(encounter.status)) {
    throw conflict(
      `$${operation} needs an encounter that is ${statuses.join(' or ')}; Encounter/${encounter.id} is ${encounter.status}`,
    );
  }
}
