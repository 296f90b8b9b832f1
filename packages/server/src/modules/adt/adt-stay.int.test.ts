/** ADT operations through a stay: admit, refusals, transfer, discharge, housekeeping, roles, the board. */
import type { Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { adtHarness, bedStatus, type Enc } from '../../testing/adt-operations-harness.js';
import { createTestWard, params, type TestWard } from '../../testing/adt-ward.js';
import { outcomeText, type TestServer, testServers } from '../../testing/test-server.js';
import { adtSystems } from './codes.js';

const cleaningTasks = async (server: TestServer, bed: string) =>
  (
    (await server.get(`Task?focus=Location/${bed}&code=${adtSystems.task}|bed-cleaning`)).body as {
      entry?: { resource: { status: string } }[];
    }
  ).entry?.map((e) => e.resource.status) ?? [];

describe.each(testServers())('ADT operations (stay: admit to discharge) on $name', ({ start }) => {
  let server: TestServer, ward: TestWard;
  const { admit } = adtHarness(start, (started) => ({ server, ward } = started));

  it('admits a patient to a clean bed: inpatient encounter in progress, bed occupied', async () => {
    const res = await admit(ward.patients[0], ward.beds[0], {
      attending: `Practitioner/${ward.attending}`,
      reason: 'Pneumonia',
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.location).toMatch(/\/Encounter\/[^/]+\/_history\/1$/);
    const enc = res.body as Enc;
    expect(enc).toMatchObject({ status: 'in-progress', class: { code: 'IMP' } });
    const active = enc.location?.filter((l) => l.status === 'active').map((l) => l.location.reference);
    expect(active).toEqual([`Location/${ward.unit}`, `Location/${ward.beds[0]}`]);
    expect(await bedStatus(server, ward.beds[0])).toBe('O');
  });

  it('refuses a second patient in an occupied bed, a dirty or blocked bed, and a patient already admitted (409)', async () => {
    const taken = await admit(ward.patients[1], ward.beds[0]);
    expect(taken.status).toBe(409);
    expect(outcomeText(taken)).toMatch(/not clean and free|occupied/);
    await server.post(`Location/${ward.beds[7]}/$mark-dirty`, params({ reason: 'spill' }));
    const dirty = await admit(ward.patients[1], ward.beds[7]);
    expect(dirty.status).toBe(409);
    expect(outcomeText(dirty)).toContain('Housekeeping');
    const twice = await admit(ward.patients[0], ward.beds[1]);
    expect(twice.status).toBe(409);
    expect(outcomeText(twice)).toContain('already admitted');
    expect(await bedStatus(server, ward.beds[1])).toBe('U');
  });

  it('transfers with a reason, keeping the location history; the bed left is dirty with a cleaning Task', async () => {
    const enc = (await admit(ward.patients[6], ward.beds[3])).body as Enc;
    const missing = await server.post(
      `Encounter/${enc.id}/$transfer`,
      params({ bed: `Location/${ward.beds[4]}` }),
    );
    expect(missing.status).toBe(400);
    expect(outcomeText(missing)).toContain("'reason'");
    const toOccupied = await server.post(
      `Encounter/${enc.id}/$transfer`,
      params({ bed: `Location/${ward.beds[0]}`, reason: 'closer to station' }),
    );
    expect(toOccupied.status).toBe(409);
    const res = await server.post(
      `Encounter/${enc.id}/$transfer`,
      params({ bed: `Location/${ward.beds[4]}`, reason: 'needs telemetry' }),
    );
    expect(res.status, res.text).toBe(200);
    const moved = res.body as Enc;
    const old = moved.location?.find((l) => l.location.reference === `Location/${ward.beds[3]}`);
    expect(old).toMatchObject({ status: 'completed' });
    expect(old?.period?.end).toBeDefined();
    const now = moved.location?.find((l) => l.location.reference === `Location/${ward.beds[4]}`);
    expect(now).toMatchObject({ status: 'active', extension: [{ valueString: 'needs telemetry' }] });
    expect(await bedStatus(server, ward.beds[3])).toBe('H');
    expect(await bedStatus(server, ward.beds[4])).toBe('O');
    expect(await cleaningTasks(server, ward.beds[3])).toEqual(['requested']);

    // cancel the transfer: back in the first bed, the second dirty
    const cancel = await server.post(
      `Encounter/${enc.id}/$cancel-transfer`,
      params({ reason: 'wrong patient moved' }),
    );
    expect(cancel.status, cancel.text).toBe(200);
    const back = cancel.body as Enc;
    expect(back.location?.filter((l) => l.status === 'active').map((l) => l.location.reference)).toContain(
      `Location/${ward.beds[3]}`,
    );
    expect(back.location?.some((l) => l.location.reference === `Location/${ward.beds[4]}`)).toBe(false);
    expect(await bedStatus(server, ward.beds[3])).toBe('O');
    expect(await cleaningTasks(server, ward.beds[3])).toEqual(['cancelled']);
    expect(await bedStatus(server, ward.beds[4])).toBe('H');
    const again = await server.post(`Encounter/${enc.id}/$cancel-transfer`, params({ reason: 'twice' }));
    expect(again.status).toBe(409);
  });

  it('discharges: finished with a disposition, bed dirty; housekeeping cleans it; cancel-discharge needs the bed', async () => {
    const search = await server.get(`Encounter?subject=Patient/${ward.patients[0]}&status=in-progress`);
    const enc = (search.body as unknown as { entry: { resource: Enc }[] }).entry[0].resource;
    const bad = await server.post(
      `Encounter/${enc.id}/$discharge`,
      params({ disposition: { code: 'moon' } }),
    );
    expect(bad.status).toBe(400);
    const res = await server.post(
      `Encounter/${enc.id}/$discharge`,
      params({ disposition: { code: 'home' } }),
    );
    expect(res.status, res.text).toBe(200);
    const done = res.body as Enc;
    expect(done.status).toBe('finished');
    expect(done.period?.end).toBeDefined();
    expect(done.hospitalization?.dischargeDisposition?.coding?.[0]?.code).toBe('home');
    expect(done.location?.every((l) => l.status === 'completed')).toBe(true);
    expect(await bedStatus(server, ward.beds[0])).toBe('H');
    expect(await cleaningTasks(server, ward.beds[0])).toEqual(['requested']);
    // the board offers to cancel the discharge from the still-free bed
    const offered = await server.get(`Location/$bed-board?unit=${ward.unit}&status=dirty`);
    expect(offered.text).toContain(
      `"name":"discharged","valueReference":{"reference":"Encounter/${enc.id}"}`,
    );
    const twice = await server.post(
      `Encounter/${enc.id}/$discharge`,
      params({ disposition: { code: 'home' } }),
    );
    expect(twice.status).toBe(409);
    expect(outcomeText(twice)).toContain('finished');

    // cancel the discharge while the bed is still free: back in it
    const undo = await server.post(`Encounter/${enc.id}/$cancel-discharge`, params({ reason: 'not ready' }));
    expect(undo.status, undo.text).toBe(200);
    expect((undo.body as Enc).status).toBe('in-progress');
    expect(await bedStatus(server, ward.beds[0])).toBe('O');
    expect(await cleaningTasks(server, ward.beds[0])).toEqual(['cancelled']);
    await server.post(`Encounter/${enc.id}/$discharge`, params({ disposition: { code: 'home' } }));

    // housekeeping: dirty → cleaning → clean
    expect((await server.post(`Location/${ward.beds[0]}/$mark-clean`, params({}))).status).toBe(200);
    expect(await bedStatus(server, ward.beds[0])).toBe('U');
    expect((await server.post(`Location/${ward.beds[0]}/$mark-clean`, params({}))).status).toBe(409);
    await server.post(`Location/${ward.beds[0]}/$mark-dirty`, params({}));
    const startClean = await server.post(`Location/${ward.beds[0]}/$start-cleaning`, params({}));
    expect(startClean.status, startClean.text).toBe(200);
    expect((await cleaningTasks(server, ward.beds[0])).filter((s) => s === 'in-progress')).toHaveLength(1);
    expect((await server.post(`Location/${ward.beds[0]}/$start-cleaning`, params({}))).status).toBe(409);
    const board = await server.get(`Location/$bed-board?unit=${ward.unit}&status=cleaning`);
    expect(board.text).toContain(`Location/${ward.beds[0]}`);
    expect((await server.post(`Location/${ward.beds[0]}/$mark-clean`, params({}))).status).toBe(200);
    expect(await bedStatus(server, ward.beds[0])).toBe('U');

    // a patient in another bed meanwhile: cancel-discharge must not put two patients in one bed
    const other = await admit(ward.patients[7], ward.beds[0]);
    expect(other.status, other.text).toBe(201);
    const blocked = await server.post(`Encounter/${enc.id}/$cancel-discharge`, params({ reason: 'late' }));
    expect(blocked.status).toBe(409);
    expect(outcomeText(blocked)).toContain('occupied by another patient');
  });

  it('lets registrars act hospital-wide and nurses only for patients of their unit; others get a 403 and nothing changes', async () => {
    const nurseWard = await createTestWard(server, { beds: 2, patients: 2 });
    const nurseId = (
      await server.create({ resourceType: 'Practitioner', name: [{ family: 'Nightingale' }] } as Resource)
    ).id;
    await server.create({
      resourceType: 'PractitionerRole',
      active: true,
      practitioner: { reference: `Practitioner/${nurseId}` },
      location: [{ reference: `Location/${nurseWard.unit}` }],
    } as Resource);
    const token = (roles: string[], fhirUser?: string) =>
      server.authority.token('user/*.cruds', {
        sub: roles.join('-'),
        roles,
        ...(fhirUser ? { fhirUser } : {}),
      });
    const registrar = await token(['registrar']);
    const nurse = await token(['nurse'], `Practitioner/${nurseId}`);
    const labTech = await token(['lab-tech']);
    const body = (patient: string, bed: string) =>
      params({ patient: `Patient/${patient}`, bed: `Location/${bed}`, admitSource: { code: 'direct' } });

    const refused = await server.request('POST', 'Encounter/$admit', {
      json: body(nurseWard.patients[0], nurseWard.beds[0]),
      token: labTech,
    });
    expect(refused.status).toBe(403);
    expect(outcomeText(refused)).toContain('registrar, physician');
    const byNurse = await server.request('POST', 'Encounter/$admit', {
      json: body(nurseWard.patients[0], nurseWard.beds[0]),
      token: nurse,
    });
    expect(byNurse.status).toBe(403);
    expect(await bedStatus(server, nurseWard.beds[0])).toBe('U');

    const admitted = await server.request('POST', 'Encounter/$admit', {
      json: body(nurseWard.patients[0], nurseWard.beds[0]),
      token: registrar,
    });
    expect(admitted.status, admitted.text).toBe(201);
    const id = (admitted.body as Resource).id;
    // the nurse works on that unit: she may move the patient (and the answer is not refused after the move)
    const moved = await server.request('POST', `Encounter/${id}/$transfer`, {
      json: params({ bed: `Location/${ward.beds[6]}`, reason: 'step-down bed' }),
      token: nurse,
    });
    expect(moved.status, moved.text).toBe(200);
    // a patient of another unit (the ward above) is not hers
    const other = await server.get(`Encounter?location=Location/${ward.beds[3]}&status=in-progress`);
    const otherId = (other.body as unknown as { entry: { resource: Enc }[] }).entry[0].resource.id;
    const notHers = await server.request('POST', `Encounter/${otherId}/$discharge`, {
      json: params({ disposition: { code: 'home' } }),
      token: nurse,
    });
    expect(notHers.status).toBe(403);
    expect(outcomeText(notHers)).toContain('care relationship');
    expect(await bedStatus(server, ward.beds[3])).toBe('O');
    // housekeeping is open to nurses; the board to nurses but not to lab techs
    expect(
      (
        await server.request('POST', `Location/${nurseWard.beds[0]}/$mark-clean`, {
          json: params({}),
          token: nurse,
        })
      ).status,
    ).toBe(200);
    expect((await server.request('GET', 'Location/$bed-board', { token: nurse })).status).toBe(200);
    expect((await server.request('GET', 'Location/$bed-board', { token: labTech })).status).toBe(403);
  });

  it('shows the board: census per unit, occupants with MRN, sex and age, filters; a bad filter is a 400', async () => {
    const res = await server.get(`Location/$bed-board?unit=${ward.unit}`);
    expect(res.status).toBe(200);
    type P = { name: string; part?: P[]; valueInteger?: number; valueString?: string; valueCode?: string };
    const units = ((res.body as unknown as { parameter: P[] }).parameter ?? []).filter(
      (p) => p.name === 'unit',
    );
    expect(units).toHaveLength(1);
    const part = (ps: P[] | undefined, name: string) => ps?.find((p) => p.name === name);
    const beds =
      units[0].part
        ?.filter((p) => p.name === 'room')
        .flatMap((r) => r.part?.filter((p) => p.name === 'bed') ?? []) ?? [];
    expect(beds).toHaveLength(8);
    const occupied = beds.filter((b) => part(b.part, 'status')?.valueCode === 'occupied');
    expect(part(units[0].part, 'census')?.valueInteger).toBe(occupied.length);
    expect(occupied.length).toBeGreaterThan(0);
    const occupant = part(occupied[0].part, 'occupant')?.part;
    expect(part(occupant, 'mrn')?.valueString).toMatch(/^W/);
    expect(part(occupant, 'gender')?.valueCode).toMatch(/male|female/);
    expect(part(occupant, 'age')?.valueInteger).toBeGreaterThan(50);
    const clean = await server.get(`Location/$bed-board?unit=${ward.unit}&status=clean`);
    expect(clean.text).not.toContain('"occupant"');
    const bad = await server.get('Location/$bed-board?status=sparkling');
    expect(bad.status).toBe(400);
    expect(outcomeText(bad)).toContain('status must be one of');
    expect((await server.get('Location/$bed-board?floor=2')).status).toBe(400);
  });
});
