import type { Repository, SearchFilter } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import type { EncounterResource, LocationResource, TaskResource } from '../beds.js';
import { bedCleaningCode, bedTransferRequestCode } from '../codes.js';

/** Everything the bed board is made of, read in a fixed number of statements whatever the size. */
export interface BoardData {
  locations: LocationResource[];
  /** In progress, on leave, planned and emergency encounters. */
  encounters: EncounterResource[];
  /** Patients and practitioners the encounters and appointments name, by `Type/id`. */
  related: Map<string, Resource>;
  /** Open cleaning Tasks (focus a bed) and open transfer requests (focus an encounter). */
  tasks: TaskResource[];
  appointments: Resource[];
}

/** Every match of a search, page by page (1000 a page). */
async function all(repo: Repository, resourceType: string, filters: SearchFilter[]): Promise<Resource[]> {
  const out: Resource[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await repo.search({ resourceType, filters, count: 1000, offset, total: 'none' });
    out.push(...page.resources);
    if (!page.hasMore) return out;
  }
}

/**
 * Reads the board's data: every Location, the encounters that hold beds or wait for one
 * (in progress, on leave, planned), the open cleaning Tasks and transfer requests, today's booked Appointments, and
 * in one include step the patients and practitioners they name.
 */
export async function loadBoardData(repo: Repository, now: Date): Promise<BoardData> {
  const day = now.toISOString().slice(0, 10);
  const tomorrow = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const [locations, encounters, tasks, appointments] = await Promise.all([
    all(repo, 'Location', []),
    all(repo, 'Encounter', [
      { code: 'status', values: ['in-progress', 'onleave', 'planned', 'arrived', 'triaged'] },
    ]),
    all(repo, 'Task', [
      {
        code: 'code',
        values: [
          `${bedCleaningCode.system}|${bedCleaningCode.code}`,
          `${bedTransferRequestCode.system}|${bedTransferRequestCode.code}`,
        ],
      },
      { code: 'status', values: ['requested', 'accepted', 'in-progress'] },
    ]),
    all(repo, 'Appointment', [
      { code: 'date', values: [`ge${day}`] },
      { code: 'date', values: [`lt${tomorrow}`] },
      { code: 'status', values: ['booked', 'arrived', 'checked-in'] },
    ]),
  ]);
  const matches = [...encounters, ...appointments].map((r) => ({
    resourceType: r.resourceType,
    id: r.id as string,
  }));
  const included =
    matches.length === 0
      ? { resources: [] }
      : await repo.includeResources(matches, {
          include: [
            { resourceType: 'Encounter', param: 'subject', targetType: 'Patient' },
            { resourceType: 'Encounter', param: 'practitioner', targetType: 'Practitioner' },
            { resourceType: 'Appointment', param: 'patient', targetType: 'Patient' },
          ],
          maxIncluded: 20_000,
        });
  const related = new Map(included.resources.map((r) => [`${r.resourceType}/${r.id}`, r] as const));
  return {
    locations: locations as LocationResource[],
    encounters: encounters as EncounterResource[],
    related,
    tasks: tasks as TaskResource[],
    appointments,
  };
}
