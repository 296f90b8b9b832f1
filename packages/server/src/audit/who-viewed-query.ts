import { type Database, toDatabaseError } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';

/** The window and size of a who-viewed report. */
export interface AccessQuery {
  patientId: string;
  /** Only events recorded at or after this instant. */
  since?: string;
  /** Only events recorded before this instant. */
  until?: string;
  /** Largest number of events (newest first). */
  limit: number;
}

/**
 * The AuditEvents that name a patient (as entity, or as the agent when patients read their own
 * record), newest first (`auditEventsOfPatient`): one probe of the reference index B-tree (`idx_reference_target_idx`:
 * AuditEvent, `patient`, the id), joined to the events by primary key, so the cost follows the
 * patient's own events, not the size of the audit trail. Returns one more than `limit` when
 * there are more. Exported for its plan test.
 */
export const accessesSql = `SELECT r.content_text
FROM idx_reference i JOIN resources r ON r.rid = i.rid
WHERE i.resource_type = 'AuditEvent' AND i.param = 'patient' AND i.target_id = $1
  AND i.target_type = 'Patient' AND NOT r.deleted
  AND ($2::text IS NULL OR (r.content->>'recorded')::timestamptz >= $2::timestamptz)
  AND ($3::text IS NULL OR (r.content->>'recorded')::timestamptz < $3::timestamptz)
ORDER BY (r.content->>'recorded')::timestamptz DESC, r.rid DESC
LIMIT $4::integer`;

/** Runs `accessesSql` for one patient and window. */
export async function auditEventsOfPatient(db: Database, query: AccessQuery): Promise<Resource[]> {
  try {
    const result = await db.query<{ content_text: string }>(accessesSql, [
      query.patientId,
      query.since ?? null,
      query.until ?? null,
      query.limit + 1,
    ]);
    return result.rows.map((row) => JSON.parse(row.content_text) as Resource);
  } catch (err) {
    throw toDatabaseError(err);
  }
}
