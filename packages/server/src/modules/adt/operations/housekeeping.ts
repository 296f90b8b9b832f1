import type { Repository } from '@hospitium/db';
import { conflict } from '@hospitium/fhir';
import type { FhirOperation } from '../../../fhir/operations/operation.js';
import { checkId } from '../../../fhir/resource-id.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../../../fhir/types.js';
import {
  bedNeedsCleaning,
  bedStatusOf,
  type LocationResource,
  loadBed,
  lockForAdt,
  occupantsOf,
  openCleaningTask,
  setBedStatus,
  type TaskResource,
} from '../beds.js';
import { bedStatusCodes } from '../codes.js';
import { OperationInput } from '../parameters.js';
import { adtDefinition, returnParameter } from './definition.js';

/** Where the reason a bed was blocked (or marked dirty) is kept on the Location. */
export const bedStatusReasonExtension = 'http://hospitium.org/fhir/StructureDefinition/bed-status-reason';

interface BedStep {
  repo: Repository;
  bed: LocationResource;
  input: OperationInput;
  time: string;
}

/**
 * A housekeeping operation on a bed (`POST Location/{id}/$op`): in one transaction, under the
 * bed's lock, `step` moves the bed (and its cleaning Task) to the next state; the answer is the
 * bed Location as stored. A bed in the wrong state for the step is a 409 that says which state it is in.
 */
function bedOperation(
  code: string,
  title: string,
  description: string,
  parameters: { name: string; min: number; type: string }[],
  step: (s: BedStep) => Promise<LocationResource>,
): FhirOperation {
  const definition = adtDefinition({
    code,
    resource: 'Location',
    level: 'instance',
    title,
    description,
    parameter: [
      ...parameters.map((p) => ({ ...p, use: 'in' as const, max: '1' })),
      returnParameter('Location'),
    ],
  });
  const handler = async (req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> => {
    const id = checkId(req.segments[1]);
    const input = new OperationInput(
      code,
      req.body,
      parameters.map((p) => p.name),
    );
    const saved = await ctx.repository.withTransaction(async (repo) => {
      await lockForAdt(repo, { beds: [id] });
      const bed = await loadBed(repo, id);
      return step({ repo, bed, input, time: new Date().toISOString() });
    });
    return { status: 200, headers: {}, body: saved };
  };
  return { definition, methods: ['POST'], handler };
}

const describeStatus = (bed: LocationResource) => {
  const code = bedStatusOf(bed);
  return (
    Object.values(bedStatusCodes)
      .find((s) => s.code === code)
      ?.display.toLowerCase() ?? code
  );
};
const isDirty = (bed: LocationResource) => ['H', 'K'].includes(bedStatusOf(bed));

async function refuseOccupied(repo: Repository, bed: LocationResource, what: string): Promise<void> {
  if (bedStatusOf(bed) === bedStatusCodes.occupied.code || (await occupantsOf(repo, bed.id)).length > 0) {
    throw conflict(`Bed ${bed.name ?? bed.id} is occupied; a bed cannot be ${what} while a patient holds it`);
  }
}

function withReason(bed: LocationResource, reason: string | undefined): LocationResource {
  const others = ((bed.extension as { url?: string }[] | undefined) ?? []).filter(
    (e) => e.url !== bedStatusReasonExtension,
  );
  const extension = reason ? [...others, { url: bedStatusReasonExtension, valueString: reason }] : others;
  const { extension: _e, ...rest } = bed;
  return (extension.length > 0 ? { ...rest, extension } : rest) as LocationResource;
}

async function updateTask(repo: Repository, task: TaskResource, status: string, time: string): Promise<void> {
  const t = task as TaskResource & { executionPeriod?: { start?: string; end?: string } };
  await repo.updateResource({
    ...t,
    status,
    lastModified: time,
    executionPeriod:
      status === 'in-progress'
        ? { start: time }
        : { ...t.executionPeriod, start: t.executionPeriod?.start ?? time, end: time },
  } as TaskResource);
}

/** `POST [base]/Location/{id}/$start-cleaning`: the bed's cleaning Task in progress (the board shows "cleaning"). */
export const startCleaningOperation = bedOperation(
  'start-cleaning',
  'Start cleaning a bed',
  'Housekeeping starts on a dirty bed: its cleaning Task becomes in-progress (created if none). The bed stays H until $mark-clean.',
  [],
  async ({ repo, bed, time }) => {
    if (!isDirty(bed))
      throw conflict(`Bed ${bed.name ?? bed.id} is ${describeStatus(bed)}, not waiting for cleaning`);
    const task = await openCleaningTask(repo, bed.id);
    if (task?.status === 'in-progress')
      throw conflict(`Cleaning of bed ${bed.name ?? bed.id} has already started`);
    if (task) await updateTask(repo, task, 'in-progress', time);
    else {
      const created = await bedNeedsCleaning(repo, bed, 'cleaning started', time);
      await updateTask(repo, created.task, 'in-progress', time);
    }
    return (await repo.readResource('Location', bed.id)) as LocationResource;
  },
);

/** `POST [base]/Location/{id}/$mark-clean`: cleaning done, the bed is clean (U) and can take a patient. */
export const markCleanOperation = bedOperation(
  'mark-clean',
  'Mark a bed clean',
  'Housekeeping is done: the cleaning Task is completed and the bed becomes U (clean, unoccupied), ready for a patient.',
  [],
  async ({ repo, bed, time }) => {
    if (!isDirty(bed))
      throw conflict(
        `Bed ${bed.name ?? bed.id} is ${describeStatus(bed)}; only a dirty bed can be marked clean`,
      );
    await refuseOccupied(repo, bed, 'marked clean');
    const task = await openCleaningTask(repo, bed.id);
    if (task) await updateTask(repo, task, 'completed', time);
    return setBedStatus(repo, withReason(bed, undefined), bedStatusCodes.clean);
  },
);

/** `POST [base]/Location/{id}/$mark-dirty` (reason?): a free bed needs cleaning (a spill, an inspection). */
export const markDirtyOperation = bedOperation(
  'mark-dirty',
  'Mark a bed dirty',
  'A free clean bed needs cleaning: it becomes H with a cleaning Task.',
  [{ name: 'reason', min: 0, type: 'string' }],
  async ({ repo, bed, input, time }) => {
    const reason = input.string('reason');
    await refuseOccupied(repo, bed, 'marked dirty');
    if (bedStatusOf(bed) !== bedStatusCodes.clean.code) {
      throw conflict(
        `Bed ${bed.name ?? bed.id} is ${describeStatus(bed)}; only a clean bed can be marked dirty`,
      );
    }
    return (await bedNeedsCleaning(repo, withReason(bed, reason), reason ?? 'marked dirty', time)).bed;
  },
);

/** `POST [base]/Location/{id}/$block` (reason): the bed is closed (C) — broken, reserved for isolation, no staff. */
export const blockOperation = bedOperation(
  'block',
  'Block a bed',
  'Takes a free bed out of use with a reason: status C (closed), Location.status suspended. No patient can be admitted to it until $unblock.',
  [{ name: 'reason', min: 1, type: 'string' }],
  async ({ repo, bed, input }) => {
    const reason = input.string('reason', true);
    await refuseOccupied(repo, bed, 'blocked');
    if (bedStatusOf(bed) === bedStatusCodes.closed.code)
      throw conflict(`Bed ${bed.name ?? bed.id} is already blocked`);
    return setBedStatus(repo, withReason(bed, reason), bedStatusCodes.closed);
  },
);

/** `POST [base]/Location/{id}/$unblock` (reason?): the bed comes back into use, dirty, with a cleaning Task. */
export const unblockOperation = bedOperation(
  'unblock',
  'Unblock a bed',
  'Puts a blocked bed back into use: it becomes H (dirty) with a cleaning Task, so it is cleaned before a patient gets it.',
  [{ name: 'reason', min: 0, type: 'string' }],
  async ({ repo, bed, input, time }) => {
    const reason = input.string('reason');
    if (bedStatusOf(bed) !== bedStatusCodes.closed.code) {
      throw conflict(`Bed ${bed.name ?? bed.id} is ${describeStatus(bed)}, not blocked`);
    }
    return (
      await bedNeedsCleaning(
        repo,
        withReason(bed, undefined),
        reason ?? 'back in use after being blocked',
        time,
      )
    ).bed;
  },
);
