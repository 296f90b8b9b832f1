import type { Repository } from '@hospitium/db';
import { isOperationOutcomeError, resourceTypeNames } from '@hospitium/fhir';
import { inPatientCompartment } from './parameters.js';
import type { ExportRequest } from './types.js';

/**
 * The resource types a job walks, in a fixed order (the resume cursor indexes into it). The
 * audit trail (AuditEvent) is exported only when `_type` names it: it is not part of the record,
 * and every poll of a running export would add to it.
 */
export function exportTypes(request: ExportRequest): string[] {
  if (request.types) return request.types;
  const all = resourceTypeNames().filter((type) => type !== 'AuditEvent');
  return request.level === 'system' ? all : all.filter(inPatientCompartment);
}

/**
 * The Patient ids of a Group's active members (`Group.member.entity` references to Patient;
 * members marked `inactive` are left out, as the Bulk Data IG suggests). 404/410 when the Group
 * does not exist or was deleted.
 */
export async function groupMemberIds(repository: Repository, groupId: string): Promise<string[]> {
  const group = await repository.readResource('Group', groupId);
  const members = (group as { member?: unknown }).member;
  if (!Array.isArray(members)) return [];
  const ids = new Set<string>();
  for (const member of members) {
    if (typeof member !== 'object' || member === null) continue;
    const { entity, inactive } = member as { entity?: { reference?: unknown }; inactive?: unknown };
    if (inactive === true || typeof entity?.reference !== 'string') continue;
    const match = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(entity.reference);
    if (match) ids.add(match[1]);
  }
  return [...ids];
}

/**
 * The patient scope of a job: undefined (system), `'all'` (every patient), or the ids asked for
 * (`patient`), narrowed to the Group's members for a group export.
 */
export async function patientScope(
  repository: Repository,
  request: ExportRequest,
): Promise<'all' | string[] | undefined> {
  if (request.level === 'system') return undefined;
  if (request.level === 'patient') return request.patients ?? 'all';
  const members = await groupMemberIds(repository, request.groupId ?? '');
  if (!request.patients) return members;
  const asked = new Set(request.patients);
  return members.filter((id) => asked.has(id));
}

/** True for the 404/410 a read of a missing or deleted resource throws. */
export function isMissing(err: unknown): boolean {
  return isOperationOutcomeError(err) && (err.status === 404 || err.status === 410);
}
