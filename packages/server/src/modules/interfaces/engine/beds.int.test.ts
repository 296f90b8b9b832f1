import { testDatabases } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { assembleBoard } from '../../adt/board/assemble.js';
import { loadBoardData } from '../../adt/board/load.js';
import { cancelAdmit } from '../testing/care-messages.js';
import { engineHarness, mrnSystem, testChannel, unique } from '../testing/engine-harness.js';
import { admit, discharge, transfer } from '../testing/messages.js';

type P = {
  name: string;
  part?: P[];
  valueCode?: string;
  valueString?: string;
  valueReference?: { reference?: string };
};
type Task = Resource & {
  status: string;
  encounter?: { reference?: string };
  reasonCode?: { coding?: { code?: string }[] };
};

/**
 * The HL7 feed moves patients between beds: the beds it empties must show dirty on the board
 * (with a cleaning Task), the beds it fills occupied — as when staff use the ADT operations.
 */
describe.each(testDatabases())('HL7 feed and the bed board on $name', ({ open }) => {
  const h = engineHarness(open);
  // each run names its own facility, so its beds are its own
  const facility = unique('F');
  const here = (message: string) =>
    message
      .replace('4E^136^B^GHH', `4E^136^B^${facility}`)
      .replace(/ICU\^1\^(\d)\^GHH/g, `ICU^1^$1^${facility}`);

  const send = async (text: string) => {
    const receipt = await h.engine.receive(here(text), testChannel, { remoteAddress: '10.0.0.9' });
    expect(receipt.ack, receipt.ack).toContain('MSA|AA');
  };
  /** The board status of the bed named `name` (`4E 136 B`), and its open cleaning Task. */
  const onBoard = async (name: string) => {
    const board = assembleBoard(await loadBoardData(h.repo, new Date()), {}, new Date()) as unknown as {
      parameter: P[];
    };
    const bed = board.parameter
      .filter((p) => p.name === 'unit')
      .flatMap((u) => u.part?.filter((p) => p.name === 'room') ?? [])
      .flatMap((r) => r.part?.filter((p) => p.name === 'bed') ?? [])
      .find((b) => b.part?.find((p) => p.name === 'name')?.valueString === name);
    const [location] = (
      await h.repo.search({
        resourceType: 'Location',
        filters: [
          {
            code: 'identifier',
            values: [`urn:hospitium:hl7v2:location|${facility}/${name.split(' ').join('/')}`],
          },
        ],
        count: 1,
      })
    ).resources;
    const tasks = (
      await h.repo.search({
        resourceType: 'Task',
        filters: [
          { code: 'focus', values: [`Location/${location?.id}`] },
          { code: 'status', values: ['requested', 'in-progress'] },
        ],
        count: 5,
      })
    ).resources as Task[];
    return { status: bed?.part?.find((p) => p.name === 'status')?.valueCode, tasks, location };
  };
  const encounterOf = async (visit: string) =>
    (
      await h.repo.search({
        resourceType: 'Encounter',
        filters: [{ code: 'identifier', values: [`${mrnSystem}|${visit}`] }],
        count: 1,
      })
    ).resources[0];

  it('admit fills the bed, transfer leaves the old bed dirty and fills the new, discharge leaves the last dirty', async () => {
    const stay = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    await send(admit(stay));
    expect((await onBoard('4E 136 B')).status).toBe('occupied');
    const admitted = await onBoard('4E 136 B');
    expect((admitted.location as { operationalStatus?: { code?: string } }).operationalStatus?.code).toBe(
      'O',
    );

    await send(transfer({ ...stay, controlId: unique('C') }));
    const encounter = await encounterOf(stay.visit);
    const left = await onBoard('4E 136 B');
    expect(left.status).toBe('dirty');
    expect(left.tasks).toHaveLength(1);
    expect(left.tasks[0]).toMatchObject({
      status: 'requested',
      encounter: { reference: `Encounter/${encounter.id}` },
      reasonCode: { coding: [{ code: 'transfer' }] },
    });
    expect((await onBoard('ICU 1 2')).status).toBe('occupied');

    await send(discharge({ ...stay, controlId: unique('C') }));
    const gone = await onBoard('ICU 1 2');
    expect(gone.status).toBe('dirty');
    expect(gone.tasks.map((t) => t.reasonCode?.coding?.[0]?.code)).toEqual(['discharge']);
    // the bed left before is still one job for housekeeping, not two
    expect((await onBoard('4E 136 B')).tasks).toHaveLength(1);

    // housekeeping cleans the ICU bed; the same discharge sent again (new control id) changes nothing
    const task = gone.tasks[0];
    await h.repo.updateResource({ ...task, status: 'completed' } as Resource);
    await h.repo.updateResource({
      ...(gone.location as Resource),
      operationalStatus: { system: 'http://terminology.hl7.org/CodeSystem/v2-0116', code: 'U' },
    } as Resource);
    await send(discharge({ ...stay, controlId: unique('C') }));
    expect((await onBoard('ICU 1 2')).status).toBe('clean');
  });

  it('an update that names no bed (A08 without PV1-3) leaves the bed occupied', async () => {
    const stay = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    await send(admit(stay).replace('4E^136^B^GHH', 'ICU^1^3^GHH'));
    expect((await onBoard('ICU 1 3')).status).toBe('occupied');
    const update = admit({ ...stay, controlId: unique('C') })
      .replace('ADT^A01^ADT_A01', 'ADT^A08^ADT_A01')
      .replace('EVN|A01|', 'EVN|A08|')
      .replace('PV1|1|I|4E^136^B^GHH|', 'PV1|1|I||');
    await send(update);
    const encounter = (await encounterOf(stay.visit)) as Resource & { location?: unknown[] };
    expect(encounter.location).toBeUndefined();
    const bed = await onBoard('ICU 1 3');
    expect((bed.location as { operationalStatus?: { code?: string } }).operationalStatus?.code).toBe('O');
    expect(bed.tasks).toEqual([]);
  });

  it('a cancelled admission (A11) leaves the bed dirty; the next admission to it makes it occupied and cancels the cleaning', async () => {
    const clean = await onBoard('4E 136 B');
    for (const t of clean.tasks) await h.repo.updateResource({ ...t, status: 'completed' } as Resource);
    await h.repo.updateResource({
      ...(clean.location as Resource),
      operationalStatus: { system: 'http://terminology.hl7.org/CodeSystem/v2-0116', code: 'U' },
    } as Resource);
    const stay = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    await send(admit(stay));
    expect((await onBoard('4E 136 B')).status).toBe('occupied');
    await send(cancelAdmit({ ...stay, controlId: unique('C') }));
    const cancelled = await onBoard('4E 136 B');
    expect(cancelled.status).toBe('dirty');
    expect(cancelled.tasks.map((t) => t.reasonCode?.coding?.[0]?.code)).toEqual(['admission-cancelled']);

    // the real world put the next patient in before housekeeping came: the feed says so
    const next = { mrn: unique('MRN'), visit: unique('V'), controlId: unique('C') };
    await send(admit(next));
    const taken = await onBoard('4E 136 B');
    expect(taken.status).toBe('occupied');
    expect(taken.tasks).toEqual([]);
  });
});
