import type { Queryable } from '@hospitium/db';
import type { AccessContext } from '../tokens/access-context.js';
import type { EmergencyAccess } from './policy.js';

/**
 * Why a user may open a patient's clinical data: a care relationship found in the record, or a
 * live break-the-glass grant (`emergency`).
 */
export type PatientRelationship =
  | { kind: 'care-team' | 'unit' | 'participant' }
  | { kind: 'emergency'; emergency: EmergencyAccess };

/** Answers "may this user open this patient's clinical data, and why?" */
export interface RelationshipFinder {
  find(access: AccessContext, patient: string): Promise<PatientRelationship | undefined>;
  /** Forgets cached answers for a user (after a break-the-glass grant or review). */
  forget(subject: string): void;
}

export interface RelationshipFinderOptions {
  /** How long an answer is reused for the same (user, patient), in milliseconds. Default 5 s. */
  cacheMs?: number;
  /** Cached answers kept at most. Default 10,000. */
  cacheSize?: number;
}

/** How far up a Location `partOf` chain (bed → room → ward → unit …) the unit check climbs. */
const maxLocationDepth = 8;

/**
 * The relationship check in one statement over the search index tables (all probes use the
 * `(resource_type, param, target_id, …)` and `rid` indexes):
 *
 * - care team: an active CareTeam whose patient is the patient lists the user's Practitioner
 *   as a participant;
 * - participant: an in-progress Encounter of the patient lists the user's Practitioner;
 * - unit: an in-progress Encounter of the patient is at a Location whose `partOf` chain
 *   (itself included) reaches a Location of one of the user's active PractitionerRoles;
 * - emergency: a break-the-glass grant of the user for the patient has not expired.
 */
const relationshipSql = `
WITH RECURSIVE encounters AS (
  SELECT e.rid FROM idx_reference e
  JOIN idx_token st ON st.rid = e.rid AND st.resource_type = 'Encounter' AND st.param = 'status' AND st.code = 'in-progress'
  WHERE e.resource_type = 'Encounter' AND e.param = 'patient' AND e.target_id = $3 AND e.target_type = 'Patient'
), places (loc, depth) AS (
  SELECT l.target_id, 0 FROM encounters x
  JOIN idx_reference l ON l.rid = x.rid AND l.resource_type = 'Encounter' AND l.param = 'location' AND l.target_type = 'Location'
  UNION
  SELECT p.target_id, places.depth + 1 FROM places
  JOIN resources r ON r.resource_type = 'Location' AND r.id = places.loc AND NOT r.deleted
  JOIN idx_reference p ON p.rid = r.rid AND p.resource_type = 'Location' AND p.param = 'partof' AND p.target_type = 'Location'
  WHERE places.depth < ${maxLocationDepth}
)
SELECT
  EXISTS (
    SELECT 1 FROM idx_reference s
    JOIN idx_reference m ON m.rid = s.rid AND m.resource_type = 'CareTeam' AND m.param = 'participant'
      AND m.target_type = 'Practitioner' AND m.target_id = $2
    JOIN idx_token st ON st.rid = s.rid AND st.resource_type = 'CareTeam' AND st.param = 'status' AND st.code = 'active'
    WHERE s.resource_type = 'CareTeam' AND s.param = 'patient' AND s.target_id = $3 AND s.target_type = 'Patient'
  ) AS care_team,
  EXISTS (
    SELECT 1 FROM encounters x
    JOIN idx_reference pa ON pa.rid = x.rid AND pa.resource_type = 'Encounter' AND pa.param = 'participant'
      AND pa.target_type = 'Practitioner' AND pa.target_id = $2
  ) AS participant,
  EXISTS (
    SELECT 1 FROM idx_reference pr
    JOIN idx_token a ON a.rid = pr.rid AND a.resource_type = 'PractitionerRole' AND a.param = 'active' AND a.code = 'true'
    JOIN idx_reference pl ON pl.rid = pr.rid AND pl.resource_type = 'PractitionerRole' AND pl.param = 'location'
      AND pl.target_type = 'Location'
    JOIN places ON places.loc = pl.target_id
    WHERE pr.resource_type = 'PractitionerRole' AND pr.param = 'practitioner' AND pr.target_id = $2
      AND pr.target_type = 'Practitioner'
  ) AS unit,
  (
    SELECT json_build_object('id', g.id, 'reason', g.reason, 'expiresAt', g.expires_at)::text
    FROM auth_emergency_access g
    WHERE g.user_id = $1 AND g.patient = $3 AND g.expires_at > now() AND g.granted_at <= now()
    ORDER BY g.expires_at DESC LIMIT 1
  ) AS grant_json`;

interface RelationshipRow {
  care_team: boolean;
  participant: boolean;
  unit: boolean;
  grant_json: string | null;
}

/** The database-backed finder, with a short per-(user, patient) cache. */
export function createRelationshipFinder(
  db: Queryable,
  options: RelationshipFinderOptions = {},
): RelationshipFinder {
  const cacheMs = options.cacheMs ?? 5000;
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, { at: number; answer: PatientRelationship | undefined }>();
  return {
    async find(access, patient) {
      const key = `${access.subject}\u0000${access.fhirUser ?? ''}\u0000${patient}`;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && now - hit.at < cacheMs) {
        if (hit.answer?.kind !== 'emergency' || Date.parse(hit.answer.emergency.expiresAt) > now)
          return hit.answer;
      }
      const practitioner = access.fhirUser?.startsWith('Practitioner/')
        ? access.fhirUser.slice('Practitioner/'.length)
        : '';
      const { rows } = await db.query<RelationshipRow>(relationshipSql, [
        access.subject,
        practitioner,
        patient,
      ]);
      const answer = toRelationship(rows[0], patient);
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(key, { at: now, answer });
      return answer;
    },
    forget(subject) {
      for (const key of cache.keys()) if (key.startsWith(`${subject}\u0000`)) cache.delete(key);
    },
  };
}

function toRelationship(row: RelationshipRow | undefined, patient: string): PatientRelationship | undefined {
  if (!row) return undefined;
  if (row.care_team) return { kind: 'care-team' };
  if (row.unit) return { kind: 'unit' };
  if (row.participant) return { kind: 'participant' };
  if (row.grant_json) {
    const grant = JSON.parse(row.grant_json) as { id: string; reason: string; expiresAt: string };
    return {
      kind: 'emergency',
      emergency: {
        grantId: grant.id,
        patient,
        reason: grant.reason,
        expiresAt: new Date(grant.expiresAt).toISOString(),
      },
    };
  }
  return undefined;
}
