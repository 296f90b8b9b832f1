import type { ResourceChange } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { currentLocation } from './render/segments.js';

/**
 * What a FHIR change means to a peer, before a channel picks the message for it: `admit`
 * (A01 inpatient, A04 otherwise), `transfer` (A02), `discharge` (A03), `patient-update` (A08, or
 * A31 without a visit), `order` (ORM^O01 or OML^O21), `result` (ORU^R01).
 */
export interface ChangeEvent {
  kind: 'admit' | 'transfer' | 'discharge' | 'patient-update' | 'order' | 'result';
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
  const isActive = activeStatuses.has(after.status as string);
  const wasActive = before !== undefined && activeStatuses.has(before.status as string);
  if (isActive && !wasActive) {
    const klass = (after.class as { code?: string } | undefined)?.code ?? '';
    out.push({ kind: 'admit', event: inpatientClasses.has(klass) ? 'ADT^A01' : 'ADT^A04' });
  } else if (isActive && wasActive) {
    const bed = currentLocation(after);
    if (bed && bed !== currentLocation(before)) out.push({ kind: 'transfer', event: 'ADT^A02' });
  }
  const ended = (r: Rec | undefined) =>
    r !== undefined &&
    (r.status === 'finished' || (r.period as { end?: string } | undefined)?.end !== undefined);
  if (before && ended(after) && !ended(before)) out.push({ kind: 'discharge', event: 'ADT^A03' });
  return out;
}
