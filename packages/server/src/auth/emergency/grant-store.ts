import { randomUUID } from 'node:crypto';
import type { Queryable } from '@hospitium/db';

/** One break-the-glass grant as stored in `auth_emergency_access` (migration 010). */
export interface EmergencyGrant {
  id: string;
  /** The user's account id (the token subject). */
  user: string;
  /** The Patient id the grant opens. */
  patient: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
  reviewedAt?: string;
  reviewedBy?: string;
  reviewNote?: string;
}

interface GrantRow {
  id: string;
  user_id: string;
  patient: string;
  reason: string;
  granted_at: Date | string;
  expires_at: Date | string;
  reviewed_at: Date | string | null;
  reviewed_by: string | null;
  review_note: string | null;
}

const columns = 'id, user_id, patient, reason, granted_at, expires_at, reviewed_at, reviewed_by, review_note';

/** Break-the-glass grants: created by the user in need, listed and reviewed afterwards. */
export interface EmergencyGrantStore {
  grant(user: string, patient: string, reason: string, durationSeconds: number): Promise<EmergencyGrant>;
  /** Grants, newest first; `reviewed` filters on whether they have been reviewed. */
  list(filter: { reviewed?: boolean; limit?: number }): Promise<EmergencyGrant[]>;
  /** Marks a grant reviewed; undefined when no such grant exists. */
  review(id: string, reviewer: string, note: string | undefined): Promise<EmergencyGrant | undefined>;
}

export function createEmergencyGrantStore(db: Queryable): EmergencyGrantStore {
  return {
    async grant(user, patient, reason, durationSeconds) {
      const { rows } = await db.query<GrantRow>(
        `INSERT INTO auth_emergency_access (id, user_id, patient, reason, granted_at, expires_at)
         VALUES ($1, $2, $3, $4, now(), now() + make_interval(secs => $5::double precision))
         RETURNING ${columns}`,
        [randomUUID(), user, patient, reason, durationSeconds],
      );
      return toGrant(rows[0]);
    },
    async list({ reviewed, limit = 100 }) {
      const where =
        reviewed === undefined
          ? ''
          : reviewed
            ? 'WHERE reviewed_at IS NOT NULL'
            : 'WHERE reviewed_at IS NULL';
      const { rows } = await db.query<GrantRow>(
        `SELECT ${columns} FROM auth_emergency_access ${where} ORDER BY granted_at DESC, id LIMIT $1::integer`,
        [limit],
      );
      return rows.map(toGrant);
    },
    async review(id, reviewer, note) {
      const { rows } = await db.query<GrantRow>(
        `UPDATE auth_emergency_access SET reviewed_at = now(), reviewed_by = $2, review_note = $3
         WHERE id = $1 RETURNING ${columns}`,
        [id, reviewer, note ?? null],
      );
      return rows[0] ? toGrant(rows[0]) : undefined;
    },
  };
}

const iso = (value: Date | string): string => new Date(value).toISOString();

function toGrant(row: GrantRow): EmergencyGrant {
  return {
    id: row.id,
    user: row.user_id,
    patient: row.patient,
    reason: row.reason,
    grantedAt: iso(row.granted_at),
    expiresAt: iso(row.expires_at),
    ...(row.reviewed_at ? { reviewedAt: iso(row.reviewed_at) } : {}),
    ...(row.reviewed_by ? { reviewedBy: row.reviewed_by } : {}),
    ...(row.review_note ? { reviewNote: row.review_note } : {}),
  };
}
