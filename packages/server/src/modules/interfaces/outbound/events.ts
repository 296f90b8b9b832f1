import type { ResourceChange } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { currentLocation } from './render/segments.js';

/**
 * What a FHIR change means to a peer, before a channel picks the message for it: `admit`
 * (A01 inpatient, A04 otherwise), `transfer` (A02), `discharge` (A03), `outpatient-to-inpatient`
 * (A06: an active visit's class becomes inpatient, an ED patient admitted), `cancel-admit` (A11:
 * an active visit cancelled), `cancel-transfer` (A12: back to the place left, the transfer's
 * place gone from the history), `cancel-discharge` (A13: a finished visit active again),
 * `leave` (A21: in progress → on leave), `return` (A22: on leave → in progress),
 * `patient-update` (A08, or A31 without a visit), `order` (ORM^O01 or OML^O21), `result` (ORU^R01).
 */
export interface ChangeEvent {
  kind:
    | 'admit'
    | 'transfer'
    | 'discharge'
    | 'outpatient-to-inpatient'
    | 'cancel-admit'
    | 'cancel-transfer'
    | 'cancel-discharge'
    | 'leave'
    | 'return'
    | 'patient-update'
    | 'order'
    | 'result';
  /** The message type when the change alone decides it (`ADT^A01`); orders and updates are decided later. */
  event?: string;
  /** `Patient/1`: events of one patient are delivered in order. */
  patient: string;
  /** The resource the message is about, and its version. */
  focus: string;
  focusVersion: number;
}

type Rec = Resource & Record<string, unknown>;

/** Classes (v3 ActCode) that are an inpatient stay: admitted with A01; other visits registered with A04. */
const inpatientClasses = new Set(['IMP', 'ACUTE', 'NONAC', 'PRENC']);
const activeStatuses = new Set(['in-progress', 'arrived']);
const reportedStatuses = new Set(['final', 'amended', 'corrected']);
/** What an A08 carries: a change elsewhere (Patient.link, meta) sends nothing. */
const demographics = [
  'identifier',
  'name',
  'telecom',
  'gender',
  'birthDate',
  'address',
  'maritalStatus',
  'deceasedBoolean',
  'deceasedDateTime',
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The resource without `meta` (which every version changes). */
const content = (r: Rec | undefined) => {
  if (!r) return undefined;
  const { meta: _meta, ...rest } = r;
  return rest;
};

function patientOf(r: Rec): string | undefined {
  if (r.resourceType === 'Patient') return `Patient/${r.id}`;
  const ref = (r.subject as { reference?: string } | undefined)?.reference;
  return ref?.startsWith('Patient/') ? ref : undefined;
}

/**
 * The events one change raises. Creating an encounter already finished (a record of the past,
 * as an import brings) sends no discharge; deleting sends nothing.
 */
export function changeEvents(change: ResourceChange): ChangeEvent[] {
  const after = change.after as Rec | undefined;
  if (!after?.id) return [];
  const before = change.before as Rec | undefined;
  const patient = patientOf(after);
  if (!patient) return [];
  const base = {
    patient,
    focus: `${after.resourceType}/${after.id}`,
    focusVersion: Number(after.meta?.versionId ?? 1),
  };
  switch (after.resourceType) {
    case 'Encounter':
      return encounterEvents(before, after).map((e) => ({ ...base, ...e }));
    case 'Patient':
      return before && demographics.some((k) => !same(before[k], after[k]))
        ? [{ ...base, kind: 'patient-update' }]
        : [];
    case 'ServiceRequest':
      return after.status === 'active' && before?.status !== 'active' ? [{ ...base, kind: 'order' }] : [];
    case 'DiagnosticReport': {
      const status = after.status as string;
      // Made final, or changed again once amended or corrected (a final report rewritten as is sends nothing).
      const reported =
        reportedStatuses.has(status) &&
        (before?.status !== status || status !== 'final') &&
        !same(content(before), content(after));
      return reported ? [{ ...base, kind: 'result', event: 'ORU^R01' }] : [];
    }
    default:
      return [];
  }
}

function encounterEvents(before: Rec | undefined, after: Rec): Pick<ChangeEvent, 'kind' | 'event'>[] {
  const out: Pick<ChangeEvent, 'kind' | 'event'>[] = [];
  const was = before?.status as string | undefined;
  const is = after.status as string;
  const ended = (r: Rec | undefined) =>
    r !== undefined &&
    (r.status === 'finished' || (r.period as { end?: string } | undefined)?.end !== undefined);
  if (before) {
    if (was === 'in-progress' && is === 'onleave') return [{ kind: 'leave', event: 'ADT^A21' }];
    if (was === 'onleave' && is === 'in-progress') return [{ kind: 'return', event: 'ADT^A22' }];
    if (
      (was === 'onleave' || activeStatuses.has(was ?? '')) &&
      (is === 'cancelled' || is === 'entered-in-error')
    )
      return [{ kind: 'cancel-admit', event: 'ADT^A11' }];
    if (ended(before) && activeStatuses.has(is) && !ended(after))
      return [{ kind: 'cancel-discharge', event: 'ADT^A13' }];
  }
  const isActive = activeStatuses.has(is);
  const wasActive = before !== undefined && activeStatuses.has(was ?? '');
  const classOf = (r: Rec | undefined) => (r?.class as { code?: string } | undefined)?.code ?? '';
  if (isActive && !wasActive) {
    out.push({ kind: 'admit', event: inpatientClasses.has(classOf(after)) ? 'ADT^A01' : 'ADT^A04' });
  } else if (isActive && wasActive) {
    const bed = currentLocation(after);
    if (inpatientClasses.has(classOf(after)) && !inpatientClasses.has(classOf(before))) {
      out.push({ kind: 'outpatient-to-inpatient', event: 'ADT^A06' });
    } else if (bed && bed !== currentLocation(before)) {
      out.push(
        transferCancelled(before as Rec, after, bed)
          ? { kind: 'cancel-transfer', event: 'ADT^A12' }
          : { kind: 'transfer', event: 'ADT^A02' },
      );
    }
  }
  if (before && ended(after) && !ended(before)) out.push({ kind: 'discharge', event: 'ADT^A03' });
  return out;
}

type LocationEntry = { location?: { reference?: string }; status?: string };

/**
 * A transfer undone: the patient is back in a place the encounter had left (completed before),
 * and the place they were moved to is gone from the location history.
 */
function transferCancelled(before: Rec, after: Rec, here: string): boolean {
  const left = ((before.location as LocationEntry[] | undefined) ?? []).some(
    (l) => l.status === 'completed' && l.location?.reference === here,
  );
  const previous = currentLocation(before);
  const gone = !((after.location as LocationEntry[] | undefined) ?? []).some(
    (l) => l.location?.reference === previous,
  );
  return left && gone;
}
