import { useEffect, useRef, useState } from 'react';
import type { FhirClient } from '../../api/fhir-client';
import type { Resource } from '../../api/fhir-types';
import { type BoardStatus, type BoardView, boardFromParameters, parseEvents } from './bed-board-view';

/** Filters of the board, as `$bed-board` takes them. */
export interface BoardFilter {
  unit?: string;
  statuses?: BoardStatus[];
}

/** Loads the board in one request (`GET Location/$bed-board`). */
export async function loadBoard(fhir: FhirClient, filter: BoardFilter = {}): Promise<BoardView> {
  const query = new URLSearchParams();
  if (filter.unit) query.set('unit', filter.unit);
  if (filter.statuses?.length) query.set('status', filter.statuses.join(','));
  const qs = query.toString();
  const parameters = await fhir.request<{ parameter?: [] }>(
    'GET',
    `Location/$bed-board${qs ? `?${qs}` : ''}`,
  );
  return boardFromParameters(parameters);
}

/** Connection state of the live stream, shown on the board so staff know it is current. */
export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Keeps the board live: listens to `Location/$bed-board-events` and calls `onChange` (debounced
 * 250 ms, so a burst of writes is one reload) on every change and on every (re)connection, when
 * the board may have missed something. Reconnects after 3 s when the stream drops; closes the
 * stream when the screen goes away.
 */
export function useBoardEvents(fhir: FhirClient, onChange: () => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      clearTimeout(timer);
      timer = setTimeout(() => latest.current(), 250);
    };
    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          const reader = await fhir.stream('Location/$bed-board-events', abort.signal);
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseEvents(buffer + value);
            buffer = parsed.rest;
            for (const e of parsed.events) {
              if (e.event === 'ready') {
                setState('live');
                changed();
              } else if (e.event === 'change') changed();
            }
          }
        } catch {
          // dropped or refused: try again shortly
        }
        if (abort.signal.aborted) return;
        setState('offline');
        await new Promise((r) => setTimeout(r, 3000));
      }
    };
    void run();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [fhir]);
  return state;
}

type ParamValue = string | { code: string } | { dateTime: string } | { reference: string } | undefined;

/** A Parameters body; undefined values are left out. */
export function parameters(values: Record<string, ParamValue>): Resource {
  return {
    resourceType: 'Parameters',
    parameter: Object.entries(values)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([name, v]) =>
        typeof v === 'string'
          ? { name, valueString: v }
          : 'code' in (v as object)
            ? { name, valueCode: (v as { code: string }).code }
            : 'dateTime' in (v as object)
              ? { name, valueDateTime: (v as { dateTime: string }).dateTime }
              : { name, valueReference: { reference: (v as { reference: string }).reference } },
      ),
  };
}

/** Runs an ADT operation on an Encounter or a bed (`POST Encounter/{id}/$transfer`, `Location/{id}/$mark-clean`, …). */
export function runOperation(
  fhir: FhirClient,
  target: `${'Encounter' | 'Location'}/${string}` | 'Encounter',
  operation: string,
  body: Record<string, ParamValue>,
): Promise<Resource> {
  return fhir.request<Resource>('POST', `${target}/$${operation}`, parameters(body));
}

/** Practitioners whose name starts like `text` (the attending picker). */
export async function findPractitioners(
  fhir: FhirClient,
  text: string,
): Promise<{ id: string; name: string }[]> {
  const bundle = await fhir.search('Practitioner', { name: text, _count: '20' });
  return (bundle.entry ?? []).flatMap((e) => {
    const r = e.resource as {
      id?: string;
      name?: { given?: string[]; family?: string; prefix?: string[] }[];
    };
    if (!r?.id) return [];
    const n = r.name?.[0];
    return [
      { id: r.id, name: [...(n?.prefix ?? []), ...(n?.given ?? []), n?.family].filter(Boolean).join(' ') },
    ];
  });
}

/** Patients whose name or MRN matches `text` (the admit dialog's patient picker). */
export async function findPatients(
  fhir: FhirClient,
  text: string,
  mrnSystem: string,
): Promise<{ id: string; name: string; mrn?: string; birthDate?: string }[]> {
  const byMrn = /^\d{3,}$/.test(text.trim());
  const bundle = await fhir.search(
    'Patient',
    byMrn ? { identifier: `${mrnSystem}|${text.trim()}` } : { name: text, _count: '20' },
  );
  return (bundle.entry ?? []).flatMap((e) => {
    const r = e.resource as {
      id?: string;
      birthDate?: string;
      identifier?: { system?: string; value?: string }[];
      name?: { given?: string[]; family?: string }[];
    };
    if (!r?.id) return [];
    const n = r.name?.[0];
    return [
      {
        id: r.id,
        name: [...(n?.given ?? []), n?.family].filter(Boolean).join(' ') || 'Unnamed',
        mrn: r.identifier?.find((i) => i.system === mrnSystem)?.value,
        birthDate: r.birthDate,
      },
    ];
  });
}
