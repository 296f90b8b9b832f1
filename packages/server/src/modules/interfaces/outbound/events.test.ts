import type { Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { changeEvents } from './events.js';

const meta = (v: number) => ({ versionId: String(v) });
const enc = (v: number, fields: Record<string, unknown>): Resource => ({
  resourceType: 'Encounter',
  id: 'e1',
  meta: meta(v),
  status: 'planned',
  class: { code: 'IMP' },
  subject: { reference: 'Patient/p1' },
  ...fields,
});
const bed = (ref: string) => [{ location: { reference: ref }, status: 'active' }];
const kinds = (before: Resource | undefined, after: Resource | undefined) =>
  changeEvents({ before, after }).map((e) => e.event ?? e.kind);

describe('outbound events from changes', () => {
  it('admits (A01 inpatient, A04 otherwise), transfers on a bed change, discharges once', () => {
    const admitted = enc(2, { status: 'in-progress', location: bed('Location/b1') });
    expect(kinds(enc(1, {}), admitted)).toEqual(['ADT^A01']);
    expect(kinds(undefined, enc(1, { status: 'in-progress', class: { code: 'EMER' } }))).toEqual(['ADT^A04']);
    expect(kinds(admitted, enc(3, { status: 'in-progress', location: bed('Location/b2') }))).toEqual([
      'ADT^A02',
    ]);
    expect(
      kinds(admitted, enc(3, { status: 'in-progress', location: bed('Location/b1'), priority: {} })),
    ).toEqual([]);
    const finished = enc(3, { status: 'finished', location: bed('Location/b1') });
    expect(kinds(admitted, finished)).toEqual(['ADT^A03']);
    expect(kinds(admitted, enc(3, { status: 'in-progress', period: { end: '2026-01-02' } }))).toEqual([
      'ADT^A03',
    ]);
    expect(kinds(finished, { ...finished, meta: meta(4) })).toEqual([]);
    // A finished encounter created as a record of the past is not a discharge.
    expect(kinds(undefined, finished)).toEqual([]);
    expect(changeEvents({ before: undefined, after: admitted })[0]).toMatchObject({
      patient: 'Patient/p1',
      focus: 'Encounter/e1',
      focusVersion: 2,
    });
  });

  it('cancels, converts and sends leave of absence (A06, A11, A12, A13, A21, A22)', () => {
    const done = (ref: string) => ({ location: { reference: ref }, status: 'completed' });
    const admitted = enc(2, { status: 'in-progress', location: bed('Location/b1') });
    // ED visit made inpatient (class EMER → IMP) while active: A06, not A02
    const ed = enc(2, { status: 'in-progress', class: { code: 'EMER' }, location: bed('Location/ed1') });
    expect(
      kinds(ed, enc(3, { status: 'in-progress', location: [done('Location/ed1'), ...bed('Location/b1')] })),
    ).toEqual(['ADT^A06']);
    expect(kinds(admitted, enc(3, { status: 'cancelled', location: bed('Location/b1') }))).toEqual([
      'ADT^A11',
    ]);
    // transferred b1 → b2, then the transfer undone: back in b1, b2 gone from the history
    const moved = enc(3, { status: 'in-progress', location: [done('Location/b1'), ...bed('Location/b2')] });
    expect(kinds(admitted, moved)).toEqual(['ADT^A02']);
    expect(kinds(moved, enc(4, { status: 'in-progress', location: bed('Location/b1') }))).toEqual([
      'ADT^A12',
    ]);
    // a later move back to b1 that keeps b2 in the history is a transfer
    expect(
      kinds(
        moved,
        enc(4, {
          status: 'in-progress',
          location: [done('Location/b1'), done('Location/b2'), ...bed('Location/b1')],
        }),
      ),
    ).toEqual(['ADT^A02']);
    const finished = enc(3, {
      status: 'finished',
      period: { end: '2026-01-02' },
      location: bed('Location/b1'),
    });
    expect(kinds(finished, enc(4, { status: 'in-progress', location: bed('Location/b1') }))).toEqual([
      'ADT^A13',
    ]);
    const away = enc(3, { status: 'onleave', location: bed('Location/b1') });
    expect(kinds(admitted, away)).toEqual(['ADT^A21']);
    expect(kinds(away, enc(4, { status: 'in-progress', location: bed('Location/b1') }))).toEqual(['ADT^A22']);
    expect(kinds(away, enc(4, { status: 'finished', location: bed('Location/b1') }))).toEqual(['ADT^A03']);
  });

  it('updates a patient on a demographic change only; orders when made active; reports when final', () => {
    const p: Resource = { resourceType: 'Patient', id: 'p1', meta: meta(1), name: [{ family: 'A' }] };
    expect(kinds(p, { ...p, meta: meta(2), name: [{ family: 'B' }] })).toEqual(['patient-update']);
    expect(kinds(p, { ...p, meta: meta(2), link: [] })).toEqual([]);
    expect(kinds(undefined, p)).toEqual([]);
    const sr: Resource = {
      resourceType: 'ServiceRequest',
      id: 's',
      meta: meta(1),
      status: 'draft',
      subject: { reference: 'Patient/p1' },
    };
    expect(kinds(undefined, { ...sr, status: 'active' })).toEqual(['order']);
    expect(kinds(sr, { ...sr, status: 'active' })).toEqual(['order']);
    expect(kinds({ ...sr, status: 'active' }, { ...sr, status: 'active', meta: meta(2) })).toEqual([]);
    const dr: Resource = {
      resourceType: 'DiagnosticReport',
      id: 'd',
      meta: meta(1),
      status: 'preliminary',
      subject: { reference: 'Patient/p1' },
    };
    expect(kinds(dr, { ...dr, status: 'final', meta: meta(2) })).toEqual(['ORU^R01']);
    expect(kinds({ ...dr, status: 'final' }, { ...dr, status: 'final', meta: meta(3) })).toEqual([]);
    expect(
      kinds({ ...dr, status: 'amended' }, { ...dr, status: 'amended', conclusion: 'x', meta: meta(3) }),
    ).toEqual(['ORU^R01']);
    expect(kinds(undefined, { ...dr, subject: { reference: 'Group/g' }, status: 'final' })).toEqual([]);
    expect(kinds(dr, undefined)).toEqual([]);
  });
});
