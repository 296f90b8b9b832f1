import type { Repository } from '@hospitium/db';
import { conflict, isOperationOutcomeError, notFound, type Resource, unprocessable } from '@hospitium/fhir';
import {
  adtSystems,
  type BedStatusCode,
  bedCleaningCode,
  bedHoldingStatuses,
  bedStatusCodes,
  type VacatedReason,
  vacatedSystem,
} from './codes.js';

export type LocationResource = Resource & {
  id: string;
  name?: string;
  status?: string;
  operationalStatus?: { system?: string; code?: string; display?: string };
  physicalType?: { coding?: { system?: string; code?: string }[] };
  partOf?: { reference?: string; display?: string };
};

export type TaskResource = Resource & {
  id: string;
  status: string;
  focus?: { reference?: string };
  encounter?: { reference?: string };
  reasonCode?: { coding?: { system?: string; code?: string }[] };
};

/** The physical type code of a Location (`bd` bed, `ro` room, `wa` ward/unit, …). */
export function physicalTypeOf(location: LocationResource): string | undefined {
  return location.physicalType?.coding?.find((c) => c.system === adtSystems.physicalType)?.code;
}

/** The v2-0116 status of a bed (`U` when it has none: a bed nobody has marked is taken as usable). */
export function bedStatusOf(bed: LocationResource): BedStatusCode {
  const status = bed.operationalStatus;
  if (status?.system === adtSystems.bedStatus && status.code) return status.code as BedStatusCode;
  return bedStatusCodes.clean.code;
}

const idOf = (ref: string | undefined, type: string) =>
  ref?.startsWith(`${type}/`) ? ref.slice(type.length + 1) : undefined;

/** Reads a bed: 404 when the Location does not exist, 422 when it is not a bed. */
export async function loadBed(repo: Repository, id: string, what = 'bed'): Promise<LocationResource> {
  let location: LocationResource;
  try {
    location = (await repo.readResource('Location', id)) as LocationResource;
  } catch (err) {
    if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) {
      throw unprocessable(`The ${what} Location/${id} does not exist`);
    }
    throw err;
  }
  if (physicalTypeOf(location) !== 'bd') {
    throw unprocessable(`Location/${id} (${location.name ?? 'unnamed'}) is not a bed (physicalType bd)`);
  }
  return location;
}

/** The unit (ward, physicalType `wa`) a bed lies in, following `partOf` up to 4 levels; undefined when none. */
export async function unitOf(repo: Repository, bed: LocationResource): Promise<LocationResource | undefined> {
  let current: LocationResource = bed;
  for (let level = 0; level < 4; level++) {
    const parent = idOf(current.partOf?.reference, 'Location');
    if (!parent) return undefined;
    try {
      current = (await repo.readResource('Location', parent)) as LocationResource;
    } catch (err) {
      if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) return undefined;
      throw err;
    }
    if (physicalTypeOf(current) === 'wa') return current;
  }
  return undefined;
}

/** Sets a bed's v2-0116 status (`Location.status` suspended while closed). */
export async function setBedStatus(
  repo: Repository,
  bed: LocationResource,
  status: (typeof bedStatusCodes)[keyof typeof bedStatusCodes],
): Promise<LocationResource> {
  const updated: LocationResource = {
    ...bed,
    status: status.code === bedStatusCodes.closed.code ? 'suspended' : 'active',
    operationalStatus: { system: adtSystems.bedStatus, code: status.code, display: status.display },
  };
  return (await repo.updateResource(updated)).resource as LocationResource;
}

/**
 * Serialises every ADT change of these beds and patients until the transaction ends (advisory
 * locks, taken patient first, then beds in id order, so two operations never wait on each
 * other in a circle). Two admits to one bed: the second waits, then sees the bed taken.
 */
export async function lockForAdt(
  repo: Repository,
  keys: { patient?: string; beds?: string[] },
): Promise<void> {
  await repo.lockConditionals([
    ...(keys.patient ? [`adt:patient:${keys.patient}`] : []),
    ...[...new Set(keys.beds ?? [])].sort().map((bed) => `adt:bed:${bed}`),
  ]);
}

/** The encounters holding a bed now (in progress or on leave, with the bed as an active location). */
export async function occupantsOf(repo: Repository, bedId: string): Promise<Resource[]> {
  const found = await repo.search({
    resourceType: 'Encounter',
    filters: [
      { code: 'location', values: [`Location/${bedId}`] },
      { code: 'status', values: [...bedHoldingStatuses] },
    ],
    count: 10,
  });
  return found.resources.filter((e) =>
    ((e as { location?: { location?: { reference?: string }; status?: string }[] }).location ?? []).some(
      (l) => l.location?.reference === `Location/${bedId}` && (l.status ?? 'active') === 'active',
    ),
  );
}

/**
 * Checks that a bed can take a patient: clean (U) and nobody in it. 409 with the reason
 * otherwise (the board the user looked at was stale, or another user was faster).
 */
export async function checkBedFree(repo: Repository, bed: LocationResource): Promise<void> {
  const status = bedStatusOf(bed);
  const name = bed.name ?? `Location/${bed.id}`;
  if (status !== bedStatusCodes.clean.code) {
    const what = Object.values(bedStatusCodes).find((s) => s.code === status)?.display ?? status;
    throw conflict(`Bed ${name} is not clean and free (its status is ${what}); choose a clean bed`);
  }
  if ((await occupantsOf(repo, bed.id)).length > 0) {
    throw conflict(`Bed ${name} is already occupied by another patient; choose a clean bed`);
  }
}

/** The open (requested or in-progress) cleaning Task of a bed, if any. */
export async function openCleaningTask(repo: Repository, bedId: string): Promise<TaskResource | undefined> {
  const found = await repo.search({
    resourceType: 'Task',
    filters: [
      { code: 'code', values: [`${bedCleaningCode.system}|${bedCleaningCode.code}`] },
      { code: 'focus', values: [`Location/${bedId}`] },
      { code: 'status', values: ['requested', 'in-progress'] },
    ],
    count: 1,
  });
  return found.resources[0] as TaskResource | undefined;
}

/** Makes a bed dirty (H) and asks housekeeping to clean it (one open Task per bed). */
export async function bedNeedsCleaning(
  repo: Repository,
  bed: LocationResource,
  why: string,
  time: string,
  left?: { encounter: string; reason: VacatedReason },
): Promise<{ bed: LocationResource; task: TaskResource }> {
  const dirty = await setBedStatus(repo, bed, bedStatusCodes.dirty);
  const open = await openCleaningTask(repo, bed.id);
  if (open) return { bed: dirty, task: open };
  const task = (await repo.createResource({
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ ...bedCleaningCode }], text: 'Clean bed' },
    description: `Clean bed ${bed.name ?? bed.id}: ${why}`,
    focus: { reference: `Location/${bed.id}`, display: bed.name },
    location: { reference: `Location/${bed.id}`, display: bed.name },
    authoredOn: time,
    lastModified: time,
    ...(left
      ? {
          encounter: { reference: `Encounter/${left.encounter}` },
          reasonCode: { coding: [{ system: vacatedSystem, code: left.reason }], text: why },
        }
      : {}),
  } as Resource)) as TaskResource;
  return { bed: dirty, task };
}

/** Reads an Encounter for an operation: 404 / 410 as for a read. */
export async function loadEncounter(repo: Repository, id: string): Promise<EncounterResource> {
  try {
    return (await repo.readResource('Encounter', id)) as EncounterResource;
  } catch (err) {
    if (isOperationOutcomeError(err) && err.status === 404) throw notFound(`Encounter/${id} does not exist`);
    throw err;
  }
}

export interface EncounterLocation {
  location: { reference?: string; display?: string };
  status?: 'planned' | 'active' | 'reserved' | 'completed';
  physicalType?: { coding?: { system?: string; code?: string; display?: string }[] };
  period?: { start?: string; end?: string };
}

export type EncounterResource = Resource & {
  id: string;
  status: string;
  class?: { system?: string; code?: string; display?: string };
  subject?: { reference?: string; display?: string };
  period?: { start?: string; end?: string };
  location?: EncounterLocation[];
  participant?: {
    type?: { coding?: { system?: string; code?: string; display?: string }[] }[];
    individual?: { reference?: string; display?: string };
    period?: { start?: string; end?: string };
  }[];
  hospitalization?: Record<string, unknown>;
  statusHistory?: { status: string; period: { start?: string; end?: string } }[];
  classHistory?: { class: Record<string, unknown>; period: { start?: string; end?: string } }[];
};
