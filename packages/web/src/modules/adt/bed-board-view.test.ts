import { describe, expect, it } from 'vitest';
import {
  boardFromParameters,
  cleanBeds,
  parseEvents,
  plannedMoves,
  sexAge,
  sinceText,
  whenText,
} from './bed-board-view';

const board = {
  resourceType: 'Parameters',
  parameter: [
    { name: 'generated', valueInstant: '2026-01-01T10:00:00Z' },
    {
      name: 'unit',
      part: [
        { name: 'location', valueReference: { reference: 'Location/u1', display: 'ICU' } },
        { name: 'name', valueString: 'Intensive Care Unit' },
        { name: 'code', valueString: 'ICU' },
        { name: 'beds', valueInteger: 3 },
        { name: 'census', valueInteger: 1 },
        { name: 'occupied', valueInteger: 1 },
        { name: 'clean', valueInteger: 1 },
        { name: 'cleaning', valueInteger: 1 },
        {
          name: 'room',
          part: [
            { name: 'location', valueReference: { reference: 'Location/r1' } },
            { name: 'name', valueString: 'ICU 01' },
            {
              name: 'bed',
              part: [
                { name: 'location', valueReference: { reference: 'Location/b1' } },
                { name: 'name', valueString: 'ICU 01-A' },
                { name: 'status', valueCode: 'occupied' },
                {
                  name: 'occupant',
                  part: [
                    { name: 'patient', valueReference: { reference: 'Patient/p1' } },
                    { name: 'name', valueString: 'Ana Lopez' },
                    { name: 'mrn', valueString: '470001' },
                    { name: 'gender', valueCode: 'female' },
                    { name: 'age', valueInteger: 67 },
                    { name: 'encounter', valueReference: { reference: 'Encounter/e1' } },
                    {
                      name: 'attending',
                      valueReference: { reference: 'Practitioner/d', display: 'Dr House' },
                    },
                    { name: 'since', valueDateTime: '2026-01-01T08:00:00Z' },
                  ],
                },
              ],
            },
            {
              name: 'bed',
              part: [
                { name: 'location', valueReference: { reference: 'Location/b2' } },
                { name: 'name', valueString: 'ICU 01-B' },
                { name: 'status', valueCode: 'clean' },
              ],
            },
            {
              name: 'bed',
              part: [
                { name: 'location', valueReference: { reference: 'Location/b3' } },
                { name: 'name', valueString: 'ICU 01-C' },
                { name: 'status', valueCode: 'cleaning' },
                { name: 'task', valueReference: { reference: 'Task/t3' } },
                { name: 'discharged', valueReference: { reference: 'Encounter/e7' } },
              ],
            },
          ],
        },
      ],
    },
    {
      name: 'pending',
      part: [
        { name: 'kind', valueCode: 'emergency' },
        { name: 'patient', valueReference: { reference: 'Patient/p9', display: 'Bo Ek' } },
        { name: 'encounter', valueReference: { reference: 'Encounter/e9' } },
      ],
    },
  ],
};

describe('bed board view model', () => {
  it('maps units, rooms, beds, occupants and pending patients', () => {
    const view = boardFromParameters(board);
    expect(view.units).toHaveLength(1);
    const unit = view.units[0];
    expect(unit).toMatchObject({ id: 'u1', name: 'Intensive Care Unit', code: 'ICU', beds: 3, census: 1 });
    expect(unit.counts).toEqual({ occupied: 1, clean: 1, dirty: 0, cleaning: 1, blocked: 0 });
    const [b1, b2, b3] = unit.rooms[0].beds;
    expect(b1.occupant).toMatchObject({
      id: 'p1',
      name: 'Ana Lopez',
      mrn: '470001',
      encounterId: 'e1',
      attending: 'Dr House',
      onLeave: false,
    });
    expect(b2).toEqual({ id: 'b2', name: 'ICU 01-B', status: 'clean' });
    expect(b3).toMatchObject({ status: 'cleaning', taskId: 't3', dischargedEncounterId: 'e7' });
    expect(view.pending).toEqual([
      {
        id: 'p9',
        name: 'Bo Ek',
        kind: 'emergency',
        encounterId: 'e9',
        mrn: undefined,
        gender: undefined,
        age: undefined,
        appointmentId: undefined,
        since: undefined,
        description: undefined,
      },
    ]);
    expect(cleanBeds(view).map((c) => c.bed.id)).toEqual(['b2']);
  });

  it("maps an occupant's pending transfer and expected discharge, and the unit counts of both", () => {
    type Parts = NonNullable<Parameters<typeof boardFromParameters>[0]['parameter']>;
    const occupant = (extra: Parts) => ({
      name: 'bed',
      part: [
        { name: 'location', valueReference: { reference: 'Location/b1' } },
        { name: 'status', valueCode: 'occupied' },
        {
          name: 'occupant',
          part: [{ name: 'encounter', valueReference: { reference: 'Encounter/e1' } }, ...extra],
        },
      ],
    });
    const view = boardFromParameters({
      parameter: [
        {
          name: 'unit',
          part: [
            { name: 'pendingTransfers', valueInteger: 1 },
            { name: 'expectedDischarges', valueInteger: 1 },
            {
              name: 'room',
              part: [
                occupant([
                  {
                    name: 'pendingTransfer',
                    part: [
                      { name: 'task', valueReference: { reference: 'Task/t1' } },
                      { name: 'to', valueReference: { reference: 'Location/u2', display: 'Telemetry' } },
                      { name: 'reason', valueString: 'needs monitoring' },
                    ],
                  },
                  {
                    name: 'expectedDischarge',
                    part: [
                      { name: 'time', valueDateTime: '2026-01-02T11:00:00Z' },
                      { name: 'note', valueString: 'after physio' },
                    ],
                  },
                ]),
                occupant([]),
              ],
            },
          ],
        },
      ],
    });
    const unit = view.units[0];
    expect(unit).toMatchObject({ pendingTransfers: 1, expectedDischarges: 1 });
    const [planned, plain] = unit.rooms[0].beds;
    expect(planned.occupant?.pendingTransfer).toEqual({
      taskId: 't1',
      to: 'Telemetry',
      reason: 'needs monitoring',
      since: undefined,
    });
    expect(planned.occupant?.expectedDischarge).toEqual({
      time: '2026-01-02T11:00:00Z',
      note: 'after physio',
    });
    expect(plain.occupant?.pendingTransfer).toBeUndefined();
    expect(plain.occupant?.expectedDischarge).toBeUndefined();
    expect(plannedMoves(view).map((m) => m.bed)).toEqual([planned]);
    expect(boardFromParameters(board).units[0]).toMatchObject({ pendingTransfers: 0, expectedDischarges: 0 });
  });

  it('says when a discharge is expected relative to today', () => {
    const now = new Date(2026, 0, 3, 10, 0);
    expect(whenText(new Date(2026, 0, 3, 14, 30).toISOString(), now)).toBe('today 14:30');
    expect(whenText(new Date(2026, 0, 4, 9, 5).toISOString(), now)).toBe('tomorrow 09:05');
    expect(whenText(new Date(2026, 0, 2, 9, 5).toISOString(), now)).toBe('yesterday 09:05');
    expect(whenText(new Date(2026, 0, 8, 9, 5).toISOString(), now)).toMatch(/^Thu 8 Jan 09:05$/);
    expect(whenText('garbage', now)).toBe('garbage');
  });

  it('treats an unknown bed status as blocked rather than clean (never offer a bed it cannot vouch for)', () => {
    const view = boardFromParameters({
      parameter: [
        {
          name: 'unit',
          part: [{ name: 'room', part: [{ name: 'bed', part: [{ name: 'status', valueCode: 'weird' }] }] }],
        },
      ],
    });
    expect(view.units[0].rooms[0].beds[0].status).toBe('blocked');
    expect(cleanBeds(view)).toEqual([]);
  });

  it('says sex, age and time on the ward the way a ward does', () => {
    expect(sexAge({ id: 'p', name: 'x', gender: 'female', age: 67 })).toBe('F 67');
    expect(sexAge({ id: 'p', name: 'x' })).toBe('');
    const now = new Date('2026-01-03T10:00:00Z');
    expect(sinceText('2026-01-03T09:15:00Z', now)).toBe('45 min');
    expect(sinceText('2026-01-03T04:00:00Z', now)).toBe('6 h');
    expect(sinceText('2025-12-30T10:00:00Z', now)).toBe('4 d');
    expect(sinceText('garbage', now)).toBeUndefined();
  });

  it('parses server-sent events split across chunks, ignoring keep-alives', () => {
    const a = parseEvents(
      'retry: 3000\nevent: ready\ndata: {}\n\n: keep-alive\n\nid: 1\nevent: change\ndata: {"cha',
    );
    expect(a.events).toEqual([{ event: 'ready', data: '{}' }]);
    const b = parseEvents(`${a.rest}nges":[]}\n\n`);
    expect(b.events).toEqual([{ event: 'change', data: '{"changes":[]}' }]);
    expect(b.rest).toBe('');
  });
});
