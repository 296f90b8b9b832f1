import type { ChangeListener, Queryable, ResourceChange } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { bedCleaningCode, bedTransferRequestCode } from '../codes.js';

/** The PostgreSQL NOTIFY channel of bed board changes. */
export const bedBoardChannel = 'hospitium_bed_board';

/** One change the board cares about: the resource, and the beds it names. */
export interface BoardChange {
  type: 'Location' | 'Encounter' | 'Task' | 'Appointment';
  id: string;
  /** Bed (Location) ids the change touches: the bed itself, an encounter's beds before and after, a Task's bed. */
  beds: string[];
}

/** NOTIFY payloads are limited to 8000 bytes; a bigger batch says `more` and the board reloads all. */
const maxPayload = 7000;

type Rec = Resource & Record<string, unknown>;

const locationIds = (r: Rec | undefined) =>
  ((r?.location as { location?: { reference?: string } }[] | undefined) ?? []).flatMap((l) =>
    l.location?.reference?.startsWith('Location/') ? [l.location.reference.slice(9)] : [],
  );

/** What a resource change means to the board, or undefined when it does not show on it. */
export function boardChange(change: ResourceChange): BoardChange | undefined {
  const r = (change.after ?? change.before) as Rec | undefined;
  if (!r?.id) return undefined;
  switch (r.resourceType) {
    case 'Location':
      return { type: 'Location', id: r.id, beds: [r.id] };
    case 'Encounter':
      return {
        type: 'Encounter',
        id: r.id,
        beds: [...new Set([...locationIds(change.before as Rec), ...locationIds(change.after as Rec)])],
      };
    case 'Task': {
      const code = (r.code as { coding?: { system?: string; code?: string }[] } | undefined)?.coding;
      const shown = [bedCleaningCode, bedTransferRequestCode];
      if (!code?.some((c) => shown.some((s) => c.system === s.system && c.code === s.code))) return undefined;
      const focus = (r.focus as { reference?: string } | undefined)?.reference;
      return { type: 'Task', id: r.id, beds: focus?.startsWith('Location/') ? [focus.slice(9)] : [] };
    }
    case 'Appointment':
      return { type: 'Appointment', id: r.id, beds: [] };
    default:
      return undefined;
  }
}

/** The NOTIFY payload for a batch of changes (`{"changes":[…]}`, or `{"more":true}` when too big). */
export function boardPayload(changes: readonly BoardChange[]): string {
  const text = JSON.stringify({ changes });
  return text.length <= maxPayload ? text : JSON.stringify({ changes: [], more: true });
}

/**
 * The repository change listener behind the live bed board: for writes that show on the board
 * (beds, encounters, cleaning Tasks, transfer requests, appointments) it sends `pg_notify` in the writing
 * transaction, which PostgreSQL delivers only at COMMIT — a rolled-back admit tells nobody.
 * Whatever wrote (an ADT operation, a plain FHIR write, the HL7 feed), every server process
 * listening on the database hears it.
 */
export const bedBoardListener: ChangeListener = Object.assign(
  async (q: Queryable, changes: readonly ResourceChange[]) => {
    const board = changes.map(boardChange).filter((c): c is BoardChange => c !== undefined);
    if (board.length === 0) return;
    await q.query('SELECT pg_notify($1, $2)', [bedBoardChannel, boardPayload(board)]);
  },
  // Only these types can show on the board: writes of every other type skip the listener (and
  // the transaction it needs), so the board costs the rest of the API nothing.
  { types: new Set(['Location', 'Encounter', 'Task', 'Appointment']) },
);

/** Both listeners, in order (the outbox and the bed board); undefined when neither exists. */
export function combineListeners(...listeners: (ChangeListener | undefined)[]): ChangeListener | undefined {
  const present = listeners.filter((l): l is ChangeListener => l !== undefined);
  if (present.length <= 1) return present[0];
  const combined = async (q: Queryable, changes: readonly ResourceChange[]) => {
    for (const listener of present) {
      const heard = listener.types
        ? changes.filter((c) => listener.types?.has((c.after ?? c.before)?.resourceType ?? ''))
        : changes;
      if (heard.length > 0) await listener(q, heard);
    }
  };
  // Types: the union of theirs, or every type when one of them listens to all.
  if (present.some((l) => !l.types)) return combined;
  return Object.assign(combined, { types: new Set(present.flatMap((l) => [...(l.types ?? [])])) });
}
