import type { Resource } from '@hospitium/fhir';
import {
  bedStatusOf,
  type EncounterResource,
  type LocationResource,
  physicalTypeOf,
  type TaskResource,
} from '../beds.js';
import {
  adtSystems,
  bedTransferRequestCode,
  expectedDischargeExtension,
  inpatientClasses,
  vacatedSystem,
} from '../codes.js';
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
 * and block reason, an occupant's pending transfer and expected discharge; census per unit (with
 * the counts of both); pending admissions (planned encounters, emergency
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
  const isRequest = (t: TaskResource) =>
    (t as { code?: { coding?: { system?: string; code?: string }[] } }).code?.coding?.some(
      (c) => c.system === bedTransferRequestCode.system && c.code === bedTransferRequestCode.code,
    ) === true;
  const taskOf = new Map(
    data.tasks.filter((t) => !isRequest(t)).map((t) => [idOf(t.focus?.reference) ?? '', t]),
  );
  const requestOf = new Map(data.tasks.filter(isRequest).map((t) => [t.focus?.reference ?? '', t] as const));
  const plans: BoardPlans = { requestOf };
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
    const planned = { pendingTransfers: 0, expectedDischarges: 0 };
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
        if (encounter && requestOf.has(`Encounter/${encounter.id}`)) planned.pendingTransfers++;
        if (encounter && expectedDischargeOf(encounter)) planned.expectedDischarges++;
        if (filter.statuses?.length && !filter.statuses.includes(status)) continue;
        bedParts.push({ name: 'bed', part: bedPart(bed, status, encounter, task, data, plans, now) });
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
        { name: 'pendingTransfers', valueInteger: planned.pendingTransfers },
        { name: 'expectedDischarges', valueInteger: planned.expectedDischarges },
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
  plans: BoardPlans,
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
  if (encounter) parts.push({ name: 'occupant', part: occupantParts(encounter, data, plans, now) });
  return parts;
}

/** What is planned for the occupants: their open transfer requests by `Encounter/id`. */
interface BoardPlans {
  requestOf: Map<string, TaskResource>;
}

/** The expected discharge recorded by `$plan-discharge` (time and note), if any. */
export function expectedDischargeOf(
  encounter: EncounterResource,
): { time: string; note?: string } | undefined {
  type Ext = { url?: string; valueDateTime?: string; valueString?: string; extension?: Ext[] };
  const plan = ((encounter.extension as Ext[] | undefined) ?? []).find(
    (e) => e.url === expectedDischargeExtension,
  );
  const time = plan?.extension?.find((e) => e.url === 'time')?.valueDateTime;
  if (!time) return undefined;
  const note = plan?.extension?.find((e) => e.url === 'note')?.valueString;
  return note ? { time, note } : { time };
}

/** The occupant's pending transfer (the request, where to, why, since when) as board parts. */
function pendingTransferPart(request: TaskResource): Part {
  const t = request as TaskResource & {
    location?: { reference?: string; display?: string };
    reasonCode?: { text?: string };
    authoredOn?: string;
  };
  return {
    name: 'pendingTransfer',
    part: [
      { name: 'task', valueReference: { reference: `Task/${t.id}` } },
      ...(t.location ? [{ name: 'to', valueReference: t.location }] : []),
      ...(t.reasonCode?.text ? [{ name: 'reason', valueString: t.reasonCode.text }] : []),
      ...(t.authoredOn ? [{ name: 'since', valueDateTime: t.authoredOn }] : []),
    ],
  };
}

function occupantParts(encounter: EncounterResource, data: BoardData, plans: BoardPlans, now: Date): Part[] {
  const request = plans.requestOf.get(`Encounter/${encounter.id}`);
  const discharge = expectedDischargeOf(encounter);
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
    ...(request ? [pendingTransferPart(request)] : []),
    ...(discharge
      ? [
          {
            name: 'expectedDischarge',
            part: [
              { name: 'time', valueDateTime: discharge.time },
              ...(discharge.note ? [{ name: 'note', valueString: discharge.note }] : []),
            ],
          },
        ]
      : []),
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
