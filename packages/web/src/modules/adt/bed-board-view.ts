/**
 * The bed board as the screens see it, mapped from the server's `Location/$bed-board`
 * Parameters (pure functions, tested on their own).
 */

export const boardStatuses = ['occupied', 'clean', 'dirty', 'cleaning', 'blocked'] as const;
export type BoardStatus = (typeof boardStatuses)[number];

/** What each status is called on screen (text always goes with the colour). */
export const statusLabels: Record<BoardStatus, string> = {
  occupied: 'Occupied',
  clean: 'Clean',
  dirty: 'Dirty',
  cleaning: 'Cleaning',
  blocked: 'Blocked',
};

export interface PatientSummary {
  id: string;
  name: string;
  mrn?: string;
  gender?: string;
  age?: number;
}

export interface Occupant extends PatientSummary {
  encounterId: string;
  attending?: string;
  since?: string;
  onLeave: boolean;
  /** An open request to move the patient (`$request-transfer`): where to and why. */
  pendingTransfer?: { taskId: string; to?: string; reason?: string; since?: string };
  /** When the patient is expected to go home (`$plan-discharge`), with a note. */
  expectedDischarge?: { time: string; note?: string };
}

export interface BedView {
  id: string;
  name: string;
  status: BoardStatus;
  occupant?: Occupant;
  taskId?: string;
  reason?: string;
  /** The stay discharged from this bed while the bed is still free (a discharge can be cancelled). */
  dischargedEncounterId?: string;
}

export interface RoomView {
  id?: string;
  name: string;
  beds: BedView[];
}

export interface UnitView {
  id: string;
  name: string;
  code?: string;
  beds: number;
  census: number;
  counts: Record<BoardStatus, number>;
  pendingTransfers: number;
  expectedDischarges: number;
  rooms: RoomView[];
}

export interface PendingView extends PatientSummary {
  kind: 'admission' | 'emergency' | 'appointment';
  encounterId?: string;
  appointmentId?: string;
  since?: string;
  description?: string;
}

export interface BoardView {
  generated?: string;
  units: UnitView[];
  pending: PendingView[];
}

interface Part {
  name: string;
  part?: Part[];
  valueString?: string;
  valueCode?: string;
  valueInteger?: number;
  valueBoolean?: boolean;
  valueDateTime?: string;
  valueInstant?: string;
  valueReference?: { reference?: string; display?: string };
}

const first = (parts: Part[] | undefined, name: string) => parts?.find((p) => p.name === name);
const all = (parts: Part[] | undefined, name: string) => (parts ?? []).filter((p) => p.name === name);
const idOf = (reference: string | undefined) => reference?.split('/')[1] ?? '';

function patientOf(parts: Part[] | undefined): PatientSummary {
  const ref = first(parts, 'patient')?.valueReference;
  return {
    id: idOf(ref?.reference),
    name: first(parts, 'name')?.valueString ?? ref?.display ?? 'Unknown patient',
    mrn: first(parts, 'mrn')?.valueString,
    gender: first(parts, 'gender')?.valueCode,
    age: first(parts, 'age')?.valueInteger,
  };
}

/** The occupant's pending transfer and expected discharge, when the board names them. */
function plansOf(occupant: Part[]): Pick<Occupant, 'pendingTransfer' | 'expectedDischarge'> {
  const transfer = first(occupant, 'pendingTransfer')?.part;
  const discharge = first(occupant, 'expectedDischarge')?.part;
  const time = first(discharge, 'time')?.valueDateTime;
  const to = first(transfer, 'to')?.valueReference;
  return {
    ...(transfer
      ? {
          pendingTransfer: {
            taskId: idOf(first(transfer, 'task')?.valueReference?.reference),
            to: to?.display ?? to?.reference,
            reason: first(transfer, 'reason')?.valueString,
            since: first(transfer, 'since')?.valueDateTime,
          },
        }
      : {}),
    ...(time ? { expectedDischarge: { time, note: first(discharge, 'note')?.valueString } } : {}),
  };
}

function bedOf(parts: Part[] | undefined): BedView {
  const status = first(parts, 'status')?.valueCode as BoardStatus | undefined;
  const occupant = first(parts, 'occupant')?.part;
  return {
    id: idOf(first(parts, 'location')?.valueReference?.reference),
    name: first(parts, 'name')?.valueString ?? '?',
    status: status && (boardStatuses as readonly string[]).includes(status) ? status : 'blocked',
    ...(occupant
      ? {
          occupant: {
            ...patientOf(occupant),
            encounterId: idOf(first(occupant, 'encounter')?.valueReference?.reference),
            attending: first(occupant, 'attending')?.valueReference?.display,
            since: first(occupant, 'since')?.valueDateTime,
            onLeave: first(occupant, 'onLeave')?.valueBoolean === true,
            ...plansOf(occupant),
          },
        }
      : {}),
    ...(first(parts, 'task') ? { taskId: idOf(first(parts, 'task')?.valueReference?.reference) } : {}),
    ...(first(parts, 'reason') ? { reason: first(parts, 'reason')?.valueString } : {}),
    ...(first(parts, 'discharged')
      ? { dischargedEncounterId: idOf(first(parts, 'discharged')?.valueReference?.reference) }
      : {}),
  };
}

/** Maps the `$bed-board` Parameters to the board's view model. */
export function boardFromParameters(parameters: { parameter?: Part[] }): BoardView {
  const top = parameters.parameter ?? [];
  const units = all(top, 'unit').map((u): UnitView => {
    const parts = u.part;
    const count = (name: string) => first(parts, name)?.valueInteger ?? 0;
    return {
      id: idOf(first(parts, 'location')?.valueReference?.reference),
      name: first(parts, 'name')?.valueString ?? '?',
      code: first(parts, 'code')?.valueString,
      beds: count('beds'),
      census: count('census'),
      pendingTransfers: count('pendingTransfers'),
      expectedDischarges: count('expectedDischarges'),
      counts: Object.fromEntries(boardStatuses.map((s) => [s, count(s)])) as Record<BoardStatus, number>,
      rooms: all(parts, 'room').map((r) => ({
        id: idOf(first(r.part, 'location')?.valueReference?.reference) || undefined,
        name: first(r.part, 'name')?.valueString ?? 'Beds',
        beds: all(r.part, 'bed').map((b) => bedOf(b.part)),
      })),
    };
  });
  const pending = all(top, 'pending').map((p): PendingView => {
    const parts = p.part;
    return {
      ...patientOf(parts),
      kind: (first(parts, 'kind')?.valueCode ?? 'admission') as PendingView['kind'],
      encounterId: idOf(first(parts, 'encounter')?.valueReference?.reference) || undefined,
      appointmentId: idOf(first(parts, 'appointment')?.valueReference?.reference) || undefined,
      since: first(parts, 'since')?.valueDateTime,
      description: first(parts, 'description')?.valueString,
    };
  });
  return { generated: first(top, 'generated')?.valueInstant, units, pending };
}

/** Every clean bed of the board (the admit and transfer dialogs offer only these). */
export function cleanBeds(board: BoardView): { bed: BedView; unit: UnitView }[] {
  return board.units.flatMap((unit) =>
    unit.rooms.flatMap((room) => room.beds.filter((b) => b.status === 'clean').map((bed) => ({ bed, unit }))),
  );
}

/** The occupied beds with a pending transfer or an expected discharge (the board's summary of plans). */
export function plannedMoves(board: BoardView): { bed: BedView; unit: UnitView; occupant: Occupant }[] {
  return board.units.flatMap((unit) =>
    unit.rooms.flatMap((room) =>
      room.beds.flatMap((bed) =>
        bed.occupant && (bed.occupant.pendingTransfer || bed.occupant.expectedDischarge)
          ? [{ bed, unit, occupant: bed.occupant }]
          : [],
      ),
    ),
  );
}

/** "today 14:00", "tomorrow 09:30", "Tue 8 Dec 10:00" — an expected discharge as a ward says it. */
export function whenText(time: string, now: Date): string {
  const d = new Date(time);
  if (Number.isNaN(d.getTime())) return time;
  const hm = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const day = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((day(d) - day(now)) / 86_400_000);
  if (days === 0) return `today ${hm}`;
  if (days === 1) return `tomorrow ${hm}`;
  if (days === -1) return `yesterday ${hm}`;
  return `${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })} ${hm}`;
}

/** "F 67" — sex and age as a board shows them. */
export function sexAge(p: PatientSummary): string {
  const sex = p.gender === 'female' ? 'F' : p.gender === 'male' ? 'M' : p.gender ? 'X' : '';
  return [sex, p.age === undefined ? '' : String(p.age)].filter(Boolean).join(' ');
}

/** How long ago, in words a ward uses: "45 min", "6 h", "3 d". */
export function sinceText(since: string | undefined, now: Date): string | undefined {
  if (!since) return undefined;
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 60_000));
  if (Number.isNaN(minutes)) return undefined;
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

/** A server-sent event. */
export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Splits a server-sent-events text buffer into complete events and the unfinished rest
 * (comment lines such as keep-alives are dropped).
 */
export function parseEvents(buffer: string): { events: StreamEvent[]; rest: string } {
  const events: StreamEvent[] = [];
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0 || event !== 'message') events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}
