import type { Migration } from './migration.js';

/**
 * Break-the-glass grants: a clinical user without a care relationship to a patient states a
 * reason and gets time-limited access to that patient's record. Every grant stays here for
 * review (a privacy officer or IT admin marks it reviewed with a note). Looked up on every
 * request of such a user, by (user, patient) among the live grants.
 */
export const emergencyAccess: Migration = {
  version: 10,
  name: 'emergency_access',
  sql: `
CREATE TABLE auth_emergency_access (
  id text COLLATE "C" PRIMARY KEY,
  user_id text COLLATE "C" NOT NULL,
  patient text COLLATE "C" NOT NULL,
  reason text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  reviewed_at timestamptz,
  reviewed_by text,
  review_note text,
  CONSTRAINT auth_emergency_access_expiry_check CHECK (expires_at > granted_at)
);
CREATE INDEX auth_emergency_access_user_patient_idx ON auth_emergency_access (user_id, patient, expires_at);
CREATE INDEX auth_emergency_access_unreviewed_idx ON auth_emergency_access (granted_at) WHERE reviewed_at IS NULL;
`,
};
