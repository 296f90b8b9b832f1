/** ADT operations at the edges: bad input, concurrent admits, blocked beds, leave, a cancelled admission. */
import type { Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { adtHarness, bedStatus, type Enc } from '../../testing/adt-operations-harness.js';
import { params, type TestWard } from '../../testing/adt-ward.js';
import { outcomeText, type TestServer, testServers } from '../../testing/test-server.js';

describe.each(testServers())('ADT operations (input, concurrency, block, leave) on $name', ({ start }) => {
  let server: TestServer, ward: TestWard;
  const { admit } = adtHarness(start, (started) => ({ server, ward } = started));

  it('answers bad input with a 400/422 OperationOutcome naming the parameter, and writes nothing', async () => {
    const cases: [Resource | unknown, number, RegExp][] = [
      [
        params({ bed: `Location/${ward.beds[1]}`, admitSource: { code: 'emd' } }),
        400,
        /needs the parameter 'patient'/,
      ],
      [
        params({
          patient: `Patient/${ward.patients[1]}`,
          bed: `Patient/${ward.patients[2]}`,
          admitSource: { code: 'emd' },
        }),
        400,
        /'bed' must be a valueReference to a Location/,
      ],
      [
        params({
          patient: `Patient/${ward.patients[1]}`,
          bed: `Location/${ward.beds[1]}`,
          admitSource: { code: 'nope' },
        }),
        400,
        /'admitSource' must be a code/,
      ],
      [
        params({
          patient: `Patient/${ward.patients[1]}`,
          bed: `Location/${ward.beds[1]}`,
          admitSource: { code: 'emd' },
          bedd: 'x',
        }),
        400,
        /no parameter 'bedd'/,
      ],
      [
        params({
          patient: `Patient/${ward.patients[1]}`,
          bed: `Location/${ward.beds[1]}`,
          admitSource: { code: 'emd' },
          time: { dateTime: '2999-01-01T00:00:00Z' },
        }),
        400,
        /future/,
      ],
      [
        params({
          patient: `Patient/${ward.patients[1]}`,
          bed: `Location/${ward.beds[1]}`,
          admitSource: { code: 'emd' },
          time: { dateTime: 'yesterday' },
        }),
        400,
        /valueDateTime/,
      ],
      [
        params({
          patient: `Patient/${ward.patients[1]}`,
          bed: `Location/${ward.rooms[0]}`,
          admitSource: { code: 'emd' },
        }),
        422,
        /is not a bed/,
      ],
      [
        params({ patient: 'Patient/nobody', bed: `Location/${ward.beds[1]}`, admitSource: { code: 'emd' } }),
        422,
        /does not exist/,
      ],
      [
        params({
          patient: `Patient/${ward.patients[1]}`,
          bed: `Location/${ward.beds[1]}`,
          admitSource: { code: 'emd' },
          attending: 'Practitioner/ghost',
        }),
        422,
        /attending Practitioner\/ghost does not exist/,
      ],
      [{ resourceType: 'Patient' }, 400, /takes a Parameters resource/],
    ];
    for (const [body, status, text] of cases) {
      const res = await server.post('Encounter/$admit', body);
      expect(res.status, res.text).toBe(status);
      expect(res.body?.resourceType).toBe('OperationOutcome');
      expect(outcomeText(res)).toMatch(text);
    }
    expect(await bedStatus(server, ward.beds[1])).toBe('U');
    const encounters = await server.get(`Encounter?subject=Patient/${ward.patients[1]}`);
    expect((encounters.body as { entry?: unknown[] }).entry ?? []).toHaveLength(0);
  });

  it('lets exactly one of several concurrent admits to one bed win', async () => {
    const contenders = [ward.patients[2], ward.patients[3], ward.patients[4], ward.patients[5]];
    const results = await Promise.all(contenders.map((p) => admit(p, ward.beds[2])));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const occupants = await server.get(`Encounter?location=Location/${ward.beds[2]}&status=in-progress`);
    expect((occupants.body as { entry?: unknown[] }).entry).toHaveLength(1);
    expect(await bedStatus(server, ward.beds[2])).toBe('O');
  });

  it('blocks and unblocks free beds only; a blocked bed takes no patient', async () => {
    const missing = await server.post(`Location/${ward.beds[5]}/$block`, params({}));
    expect(missing.status).toBe(400);
    const res = await server.post(`Location/${ward.beds[5]}/$block`, params({ reason: 'broken rail' }));
    expect(res.status, res.text).toBe(200);
    expect(await bedStatus(server, ward.beds[5])).toBe('C');
    expect((await admit(ward.patients[1], ward.beds[5])).status).toBe(409);
    expect((await server.post(`Location/${ward.beds[2]}/$block`, params({ reason: 'x' }))).status).toBe(409);
    const unblock = await server.post(`Location/${ward.beds[5]}/$unblock`, params({}));
    expect(unblock.status).toBe(200);
    expect(await bedStatus(server, ward.beds[5])).toBe('H');
    const notBed = await server.post(`Location/${ward.unit}/$mark-clean`, params({}));
    expect(notBed.status).toBe(422);
  });

  it('sends a patient on leave and back, and cancels an admission', async () => {
    const search = await server.get(`Encounter?location=Location/${ward.beds[2]}&status=in-progress`);
    const enc = (search.body as unknown as { entry: { resource: Enc }[] }).entry[0].resource;
    const leave = await server.post(
      `Encounter/${enc.id}/$leave-of-absence`,
      params({ reason: 'weekend home' }),
    );
    expect(leave.status, leave.text).toBe(200);
    expect((leave.body as Enc).status).toBe('onleave');
    expect(await bedStatus(server, ward.beds[2])).toBe('O');
    expect(
      (
        await server.post(
          `Encounter/${enc.id}/$transfer`,
          params({ bed: `Location/${ward.beds[6]}`, reason: 'x' }),
        )
      ).status,
    ).toBe(409);
    const back = await server.post(`Encounter/${enc.id}/$return-from-leave`, params({}));
    expect((back.body as Enc).status).toBe('in-progress');
    const cancel = await server.post(
      `Encounter/${enc.id}/$cancel-admit`,
      params({ reason: 'admitted the wrong patient' }),
    );
    expect(cancel.status, cancel.text).toBe(200);
    expect((cancel.body as Enc).status).toBe('cancelled');
    expect(await bedStatus(server, ward.beds[2])).toBe('H');
    expect((await server.post(`Encounter/${enc.id}/$return-from-leave`, params({}))).status).toBe(409);
    expect(
      (await server.post('Encounter/nope/$discharge', params({ disposition: { code: 'home' } }))).status,
    ).toBe(404);
  });
});
