import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWard, params, type TestWard } from '../../testing/adt-ward.js';
import { outcomeText, type TestServer, testServers } from '../../testing/test-server.js';
import { adtSystems, expectedDischargeExtension } from './codes.js';

type P = {
  name: string;
  part?: P[];
  valueInteger?: number;
  valueString?: string;
  valueCode?: string;
  valueDateTime?: string;
  valueReference?: { reference?: string };
};
type Task = Resource & {
  status: string;
  location?: { reference?: string };
  statusReason?: { text?: string };
};

const part = (ps: P[] | undefined, name: string) => ps?.find((p) => p.name === name);

/** The board of one unit: its parts, and the occupant parts of a bed by id. */
async function board(server: TestServer, unit: string) {
  const res = await server.get(`Location/$bed-board?unit=${unit}`);
  expect(res.status, res.text).toBe(200);
  const unitParts = ((res.body as unknown as { parameter: P[] }).parameter ?? []).find(
    (p) => p.name === 'unit',
  )?.part;
  const beds =
    unitParts
      ?.filter((p) => p.name === 'room')
      .flatMap((r) => r.part?.filter((p) => p.name === 'bed') ?? []) ?? [];
  const occupant = (bed: string) =>
    part(
      beds.find((b) => part(b.part, 'location')?.valueReference?.reference === `Location/${bed}`)?.part,
      'occupant',
    )?.part;
  return { unitParts, occupant };
}

const requests = async (server: TestServer, encounter: string) =>
  (
    (await server.get(`Task?focus=Encounter/${encounter}&code=${adtSystems.task}|bed-transfer-request`))
      .body as {
      entry?: { resource: Task }[];
    }
  ).entry?.map((e) => e.resource) ?? [];

describe.each(testServers())('Pending transfers and expected discharges on $name', ({ start }) => {
  let server: TestServer;
  let ward: TestWard;
  let other: TestWard;
  const stays: string[] = [];
  beforeAll(async () => {
    server = await start();
    ward = await createTestWard(server, { beds: 4, patients: 3 });
    other = await createTestWard(server, { beds: 2, patients: 0 });
    for (let i = 0; i < 3; i++) {
      const res = await server.post(
        'Encounter/$admit',
        params({
          patient: `Patient/${ward.patients[i]}`,
          bed: `Location/${ward.beds[i]}`,
          admitSource: { code: 'gp' },
        }),
      );
      expect(res.status, res.text).toBe(201);
      stays.push((res.body as Resource).id as string);
    }
  });
  afterAll(async () => {
    await server?.close();
  });

  it('requests a transfer to a unit: a Task on the stay, shown on the occupant and counted on the unit; $transfer completes it', async () => {
    const res = await server.post(
      `Encounter/${stays[0]}/$request-transfer`,
      params({ unit: `Location/${other.unit}`, reason: 'needs telemetry' }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      resourceType: 'Task',
      status: 'requested',
      code: { coding: [{ code: 'bed-transfer-request' }] },
      focus: { reference: `Encounter/${stays[0]}` },
      location: { reference: `Location/${other.unit}` },
      reasonCode: { text: 'needs telemetry' },
    });
    const { unitParts, occupant } = await board(server, ward.unit);
    expect(part(unitParts, 'pendingTransfers')?.valueInteger).toBe(1);
    const pending = part(occupant(ward.beds[0]), 'pendingTransfer')?.part;
    expect(part(pending, 'to')?.valueReference?.reference).toBe(`Location/${other.unit}`);
    expect(part(pending, 'reason')?.valueString).toBe('needs telemetry');
    expect(part(occupant(ward.beds[1]), 'pendingTransfer')).toBeUndefined();

    // one open request per stay
    const twice = await server.post(
      `Encounter/${stays[0]}/$request-transfer`,
      params({ bed: `Location/${other.beds[0]}`, reason: 'again' }),
    );
    expect(twice.status).toBe(409);
    expect(outcomeText(twice)).toContain('already has an open transfer request');

    const moved = await server.post(
      `Encounter/${stays[0]}/$transfer`,
      params({ bed: `Location/${other.beds[0]}`, reason: 'needs telemetry' }),
    );
    expect(moved.status, moved.text).toBe(200);
    expect((await requests(server, stays[0])).map((t) => t.status)).toEqual(['completed']);
    const after = await board(server, other.unit);
    expect(part(after.unitParts, 'pendingTransfers')?.valueInteger).toBe(0);
    expect(part(after.occupant(other.beds[0]), 'pendingTransfer')).toBeUndefined();
  });

  it('cancels a transfer request with a reason; a second cancel is a 409; a discharge cancels an open one', async () => {
    const asked = await server.post(
      `Encounter/${stays[1]}/$request-transfer`,
      params({ bed: `Location/${other.beds[1]}`, reason: 'isolation' }),
    );
    expect(asked.status, asked.text).toBe(200);
    const cancelled = await server.post(
      `Encounter/${stays[1]}/$cancel-transfer-request`,
      params({ reason: 'swab negative' }),
    );
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', statusReason: { text: 'swab negative' } });
    const again = await server.post(
      `Encounter/${stays[1]}/$cancel-transfer-request`,
      params({ reason: 'x' }),
    );
    expect(again.status).toBe(409);
    expect(outcomeText(again)).toContain('no open transfer request');
    expect(part((await board(server, ward.unit)).occupant(ward.beds[1]), 'pendingTransfer')).toBeUndefined();

    // a new request after the cancel is allowed; the discharge cancels it
    const renewed = await server.post(
      `Encounter/${stays[1]}/$request-transfer`,
      params({ unit: `Location/${other.unit}`, reason: 'isolation after all' }),
    );
    expect(renewed.status, renewed.text).toBe(200);
    const out = await server.post(
      `Encounter/${stays[1]}/$discharge`,
      params({ disposition: { code: 'home' } }),
    );
    expect(out.status, out.text).toBe(200);
    const statuses = (await requests(server, stays[1])).map((t) => t.status).sort();
    expect(statuses).toEqual(['cancelled', 'cancelled']);
    const late = await server.post(
      `Encounter/${stays[1]}/$request-transfer`,
      params({ unit: `Location/${other.unit}`, reason: 'too late' }),
    );
    expect(late.status).toBe(409);
  });

  it('refuses bad transfer requests with a 400/422 naming the problem, and creates no Task', async () => {
    const cases: [Resource, number, string][] = [
      [params({ reason: 'no place' }), 400, "either 'unit' or 'bed'"],
      [
        params({ unit: `Location/${other.unit}`, bed: `Location/${other.beds[1]}`, reason: 'both' }),
        400,
        "either 'unit' or 'bed'",
      ],
      [params({ unit: `Location/${other.unit}` }), 400, "needs the parameter 'reason'"],
      [params({ unit: `Location/${other.beds[1]}`, reason: 'a bed is no unit' }), 422, 'is not a unit'],
      [params({ bed: `Location/${other.unit}`, reason: 'a unit is no bed' }), 422, 'is not a bed'],
      [params({ bed: 'Location/nosuchbed', reason: 'gone' }), 422, 'does not exist'],
      [params({ unit: `Location/${other.unit}`, reason: 'x', floor: '2' }), 400, "no parameter 'floor'"],
      [params({ bed: `Location/${ward.beds[2]}`, reason: 'same bed' }), 409, 'already in bed'],
    ];
    for (const [body, status, text] of cases) {
      const res = await server.post(`Encounter/${stays[2]}/$request-transfer`, body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(status);
      expect((res.body as Resource).resourceType).toBe('OperationOutcome');
      expect(outcomeText(res)).toContain(text);
    }
    expect(await requests(server, stays[2])).toEqual([]);
    expect((await server.post('Encounter/nosuch/$request-transfer', params({ reason: 'x' }))).status).toBe(
      404,
    );
  });

  it('plans a discharge: extension on the Encounter, shown on the occupant and counted; no time removes it; $discharge clears it', async () => {
    const time = new Date(Date.now() + 86_400_000).toISOString();
    const planned = await server.post(
      `Encounter/${stays[2]}/$plan-discharge`,
      params({ time: { dateTime: time }, note: 'after physio review' }),
    );
    expect(planned.status, planned.text).toBe(200);
    expect((planned.body as { extension?: unknown[] }).extension).toEqual([
      {
        url: expectedDischargeExtension,
        extension: [
          { url: 'time', valueDateTime: time },
          { url: 'note', valueString: 'after physio review' },
        ],
      },
    ]);
    let view = await board(server, ward.unit);
    expect(part(view.unitParts, 'expectedDischarges')?.valueInteger).toBe(1);
    const expected = part(view.occupant(ward.beds[2]), 'expectedDischarge')?.part;
    expect(part(expected, 'time')?.valueDateTime).toBe(time);
    expect(part(expected, 'note')?.valueString).toBe('after physio review');

    // re-planning replaces the plan (one extension), no time removes it
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const moved = await server.post(
      `Encounter/${stays[2]}/$plan-discharge`,
      params({ time: { dateTime: later } }),
    );
    expect((moved.body as { extension?: unknown[] }).extension).toHaveLength(1);
    const removed = await server.post(`Encounter/${stays[2]}/$plan-discharge`, params({}));
    expect(removed.status, removed.text).toBe(200);
    expect((removed.body as { extension?: unknown[] }).extension).toBeUndefined();
    view = await board(server, ward.unit);
    expect(part(view.unitParts, 'expectedDischarges')?.valueInteger).toBe(0);
    expect(part(view.occupant(ward.beds[2]), 'expectedDischarge')).toBeUndefined();

    // bad input
    const bad: [Resource, string][] = [
      [params({ time: { dateTime: '2026-13-45' } }), "'time' must be a valueDateTime"],
      [params({ note: 'no time' }), "a 'note' needs a 'time'"],
      [params({ time: { dateTime: '2001-01-01T00:00:00Z' } }), 'before the stay began'],
    ];
    for (const [body, text] of bad) {
      const res = await server.post(`Encounter/${stays[2]}/$plan-discharge`, body);
      expect(res.status, res.text).toBe(400);
      expect(outcomeText(res)).toContain(text);
    }

    // the discharge clears the plan
    await server.post(`Encounter/${stays[2]}/$plan-discharge`, params({ time: { dateTime: later } }));
    const out = await server.post(
      `Encounter/${stays[2]}/$discharge`,
      params({ disposition: { code: 'home' } }),
    );
    expect(out.status, out.text).toBe(200);
    expect(JSON.stringify(out.body)).not.toContain(expectedDischargeExtension);
    const finished = await server.post(
      `Encounter/${stays[2]}/$plan-discharge`,
      params({ time: { dateTime: later } }),
    );
    expect(finished.status).toBe(409);
  });

  it('gives planning the same rights as moving: a nurse for her patients, not a pharmacist', async () => {
    const pharmacist = await server.authority.token('user/*.cruds', { roles: ['pharmacist'], sub: 'ph' });
    const res = await server.request('POST', `Encounter/${stays[0]}/$plan-discharge`, {
      json: params({}),
      token: pharmacist,
    });
    expect(res.status).toBe(403);
    const nurse = await server.authority.token('user/*.cruds', { roles: ['nurse'], sub: 'unrelated-nurse' });
    const unrelated = await server.request('POST', `Encounter/${stays[0]}/$request-transfer`, {
      json: params({ unit: `Location/${ward.unit}`, reason: 'back' }),
      token: nurse,
    });
    expect(unrelated.status).toBe(403);
  });
});
