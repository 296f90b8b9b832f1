import type { Resource } from '@hospitium/fhir';
import {
  bedStatusOf,
  type EncounterResource,
  type LocationResource,
  physicalTypeOf,
  type TaskResource,
} from '../beds.js';
import { adtSystems, inpatientClasses, vacatedSystem } from '../codes.js';
import { bedStatusReasonExtension } from '../operations/housekeeping.js';
import type { BoardData } from './load.js';

/** What the board shows for a bed: the five states staff talk about. */
export const boardStatuses = ['occupied', 'clean', 'dirty', 'cleaning', 'blocked'] as const;
export type BoardStatus = (typeof boardStatuses)[number];

export interface BoardFilter {
  /** Unit Location ids or codes (alias, e.g. `ICU`); none = every unit. */
  units?: string[];
  /** Only beds in these states. */
  statuses?: BoardStatus[];
}

type Part = Record<string, unknown> & { name: string };

const ref = (r: Resource | undefined, fallback?: string) =>
  r ? { reference: `${r.resourceType}/${r.id}`, display: displayOf(r) } : { reference: fallback };

function displayOf(r: Resource): string | undefined {
  const named = r as { name?: unknown };
  if (typeof named.name === 'string') return named.name;
  const name = (
    named.name as { text?: string; given?: string[]; family?: string; suffix?: string[] }[] | undefined
  )?.[0];
  if (!name) return undefined;
  return name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ');
}

function age(birthDate: string | undefined, now: Date): number | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const [y, m, d] = birthDate.split('-').map(Number);
  let years = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) years--;
  return years;
}

/** The patient's parts (reference, name, MRN, sex, age) as every board row shows them. */
function patientParts(patient: Resource | undefined, fallback: string | undefined, now: Date): Part[] {
  const p = patient as
    | (Resource & { identifier?: { system?: string; value?: string }[]; gender?: string; birthDate?: string })
    | undefined;
  const mrn = p?.identifier?.find((i) => i.system === adtSystems.mrn)?.value ?? p?.identifier?.[0]?.value;
  const years = age(p?.birthDate, now);
  return [
    { name: 'patient', valueReference: ref(p, fallback) },
    ...(p && displayOf(p) ? [{ name: 'name', valueString: displayOf(p) }] : []),
    ...(mrn ? [{ name: 'mrn', valueString: mrn }] : []),
    ...(p?.gender ? [{ name: 'gender', valueCode: p.gender }] : []),
    ...(years !== undefined ? [{ name: 'age', valueInteger: years }] : []),
  ];
}

const idOf = (reference: string | undefined) => reference?.split('/')[1];

/**
 * Builds the bed board (a Parameters resource; see the module README for its shape) from the
 * loaded data: units × rooms × beds with each bed's board status, occupant, open cleaning Task
 * and block reason; census per unit; pending admissions (planned encounters, emergency
 * patients, today's appointments). Pure: the same data gives the same board.
 */
export function assembleBoard(data: BoardData, filter: BoardFilter, now: Date): Resource {
  const children = new Map<string, LocationResource[]>();
  for (const l of data.locations) {
    const parent = idOf(l.partOf?.reference);
    if (!parent) continue;
    const list = children.get(parent) ?? [];
    list.push(l);
    children.set(parent, list);
  }
  const bedIds = new Set(data.locations.filter((l) => physicalTypeOf(l) === 'bd').map((l) => l.id));
  const holder = new Map<string, EncounterResource>();
  for (const e of data.encounters) {
    if (e.status !== 'in-progress' && e.status !== 'onleave') continue;
    for (const l of e.location ?? []) {
      const id = idOf(l.location.reference);
      if (id && bedIds.has(id) && (l.status ?? 'active') === 'active') holder.set(id, e);
    }
  }
  const taskOf = new Map(data.tasks.map((t) => [idOf(t.focus?.reference) ?? '', t]));
  const byName = (a: LocationResource, b: LocationResource) =>
    (a.name ?? '').localeCompare(b.name ?? '', 'en', { numeric: true });
  const units = data.locations
    .filter((l) => physicalTypeOf(l) === 'wa')
    .filter((u) =>
      (children.get(u.id) ?? []).some(
        (c) =>
          physicalTypeOf(c) === 'bd' || (children.get(c.id) ?? []).some((b) => physicalTypeOf(b) === 'bd'),
      ),
    )
    .filter((u) => {
      if (!filter.units?.length) return true;
      const alias = (u as { alias?: string[] }).alias ?? [];
      return filter.units.some((f) => f === u.id || alias.includes(f));
    })
    .sort(byName);

  const parameter: Part[] = [{ name: 'generated', valueInstant: now.toISOString() }];
  for (const unit of units) {
    const counts: Record<BoardStatus, number> = { occupied: 0, clean: 0, dirty: 0, cleaning: 0, blocked: 0 };
    const rooms: Part[] = [];
    const direct = (children.get(unit.id) ?? []).filter((c) => physicalTypeOf(c) === 'bd');
    const groups: [LocationResource | undefined, LocationResource[]][] = [
      ...(children.get(unit.id) ?? [])
        .filter((c) => physicalTypeOf(c) === 'ro')
        .sort(byName)
        .map(
          (room) =>
            [room, (children.get(room.id) ?? []).filter((b) => physicalTypeOf(b) === 'bd').sort(byName)] as [
              LocationResource,
              LocationResource[],
            ],
        ),
      ...(direct.length ? [[undefined, direct.sort(byName)] as [undefined, LocationResource[]]] : []),
    ];
    for (const [room, beds] of groups) {
      const bedParts: Part[] = [];
      for (const bed of beds) {
        const encounter = holder.get(bed.id);
        const task = taskOf.get(bed.id);
        const status = boardStatus(bed, encounter !== undefined, task?.status);
        counts[status]++;
        if (filter.statuses?.length && !filter.statuses.includes(status)) continue;
        bedParts.push({ name: 'bed', part: bedPart(bed, status, encounter, task, data, now) });
      }
      if (bedParts.length === 0) continue;
      rooms.push({
        name: 'room',
        part: [
          ...(room
            ? [
                { name: 'location', valueReference: ref(room) },
                { name: 'name', valueString: room.name ?? room.id },
              ]
            : []),
          ...bedParts,
        ],
      });
    }
    const alias = (unit as { alias?: string[] }).alias?.[0];
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    parameter.push({
      name: 'unit',
      part: [
        { name: 'location', valueReference: ref(unit) },
        { name: 'name', valueString: unit.name ?? unit.id },
        ...(alias ? [{ name: 'code', valueString: alias }] : []),
        { name: 'beds', valueInteger: total },
        { name: 'census', valueInteger: counts.occupied },
        ...boardStatuses.map((s) => ({ name: s, valueInteger: counts[s] })),
        ...rooms,
      ],
    });
  }
  parameter.push(...pending(data, now));
  return { resourceType: 'Parameters', parameter } as Resource;
}

function boardStatus(bed: LocationResource, occupied: boolean, taskStatus: string | undefined): BoardStatus {
  if (occupied) return 'occupied';
  switch (bedStatusOf(bed)) {
    case 'O':
      return 'occupied';
    case 'C':
    case 'I':
      return 'blocked';
    case 'H':
    case 'K':
      return taskStatus === 'in-progress' ? 'cleaning' : 'dirty';
    default:
      return 'clean';
  }
}

function bedPart(
  bed: LocationResource,
  status: BoardStatus,
  encounter: EncounterResource | undefined,
  task: TaskResource | undefined,
  data: BoardData,
  now: Date,
): Part[] {
  const reason = ((bed.extension as { url?: string; valueString?: string }[] | undefined) ?? []).find(
    (e) => e.url === bedStatusReasonExtension,
  )?.valueString;
  const parts: Part[] = [
    { name: 'location', valueReference: ref(bed) },
    { name: 'name', valueString: bed.name ?? bed.id },
    { name: 'status', valueCode: status },
  ];
  if (bed.operationalStatus) parts.push({ name: 'operationalStatus', valueCoding: bed.operationalStatus });
  if (reason && status === 'blocked') parts.push({ name: 'reason', valueString: reason });
  if (task) parts.push({ name: 'task', valueReference: { reference: `Task/${task.id}` } });
  // A bed left by a discharge: the board can offer to cancel it while the bed is still free.
  const vacated = task?.reasonCode?.coding?.find((c) => c.system === vacatedSystem)?.code;
  if (!encounter && vacated === 'discharge' && task?.encounter?.reference) {
    parts.push({ name: 'discharged', valueReference: { reference: task.encounter.reference } });
  }
  if (encounter) parts.push({ name: 'occupant', part: occupantParts(encounter, data, now) });
  return parts;
}

function occupantParts(encounter: EncounterResource, data: BoardData, now: Date): Part[] {
  const subject = encounter.subject?.reference;
  const attending = (encounter.participant ?? []).filter(
    (p) => !p.period?.end && p.type?.some((t) => t.coding?.some((c) => c.code === 'ATND')),
  );
  const who = attending[attending.length - 1]?.individual;
  const practitioner = who?.reference ? data.related.get(who.reference) : undefined;
  const bedEntry = [...(encounter.location ?? [])].reverse().find((l) => (l.status ?? 'active') === 'active');
  return [
    ...patientParts(subject ? data.related.get(subject) : undefined, subject, now),
    { name: 'encounter', valueReference: { reference: `Encounter/${encounter.id}` } },
    { name: 'class', valueCode: encounter.class?.code ?? 'unknown' },
    ...(who ? [{ name: 'attending', valueReference: practitioner ? ref(practitioner) : who }] : []),
    ...((bedEntry?.period?.start ?? encounter.period?.start)
      ? [{ name: 'since', valueDateTime: bedEntry?.period?.start ?? encounter.period?.start }]
      : []),
    ...(encounter.status === 'onleave' ? [{ name: 'onLeave', valueBoolean: true }] : []),
  ];
}

/** Who waits for a bed: planned admissions, emergency patients, today's appointments. */
function pending(data: BoardData, now: Date): Part[] {
  const out: Part[] = [];
  for (const e of data.encounters) {
    const klass = e.class?.code ?? '';
    const kind =
      e.status === 'planned'
        ? 'admission'
        : klass === 'EMER' && (e.status === 'in-progress' || e.status === 'arrived' || e.status === 'triaged')
          ? 'emergency'
          : undefined;
    if (!kind || (kind === 'admission' && !inpatientClasses.has(klass) && klass !== '')) continue;
    const subject = e.subject?.reference;
    out.push({
      name: 'pending',
      part: [
        { name: 'kind', valueCode: kind },
        ...patientParts(subject ? data.related.get(subject) : undefined, subject, now),
        { name: 'encounter', valueReference: { reference: `Encounter/${e.id}` } },
        ...(e.period?.start ? [{ name: 'since', valueDateTime: e.period.start }] : []),
        ...((e as { reasonCode?: { text?: string }[] }).reasonCode?.[0]?.text
          ? [
              {
                name: 'description',
                valueString: (e as { reasonCode?: { text?: string }[] }).reasonCode?.[0]?.text,
              },
            ]
          : []),
      ],
    });
  }
  for (const a of data.appointments) {
    const appt = a as Resource & {
      start?: string;
      description?: string;
      participant?: { actor?: { reference?: string; display?: string } }[];
    };
    const patientRef = appt.participant?.find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor
      ?.reference;
    if (!patientRef) continue;
    const unit = appt.participant?.find((p) => p.actor?.reference?.startsWith('Location/'))?.actor;
    out.push({
      name: 'pending',
      part: [
        { name: 'kind', valueCode: 'appointment' },
        ...patientParts(data.related.get(patientRef), patientRef, now),
        { name: 'appointment', valueReference: { reference: `Appointment/${appt.id}` } },
        ...(appt.start ? [{ name: 'since', valueDateTime: appt.start }] : []),
        ...(appt.description ? [{ name: 'description', valueString: appt.description }] : []),
        ...(unit ? [{ name: 'unit', valueReference: unit }] : []),
      ],
    });
  }
  return out;
}
