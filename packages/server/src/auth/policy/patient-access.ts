import type { Queryable } from '@hospitium/db';
import { createEmergencyGrantStore, type EmergencyGrantStore } from '../emergency/grant-store.js';
import {
  createRelationshipFinder,
  type RelationshipFinder,
  type RelationshipFinderOptions,
} from './relationships.js';

/** Break-the-glass settings. */
export interface EmergencyAccessOptions {
  /** How long a grant lasts, in seconds. Default 3600 (one hour). */
  durationSeconds?: number;
  /** The shortest reason accepted, in characters. Default 20. */
  minReasonLength?: number;
}

/**
 * The database half of patient-level authorisation, shared by every request: care relationships
 * (with their short cache) and break-the-glass grants. Absent when the app has no database
 * handle; then relationship roles reach no patient data (403 saying so).
 */
export interface PatientAccess {
  relationships: RelationshipFinder;
  grants: EmergencyGrantStore;
  emergencyDurationSeconds: number;
  minReasonLength: number;
}

export function createPatientAccess(
  db: Queryable,
  options: EmergencyAccessOptions & RelationshipFinderOptions = {},
): PatientAccess {
  return {
    relationships: createRelationshipFinder(db, options),
    grants: createEmergencyGrantStore(db),
    emergencyDurationSeconds: options.durationSeconds ?? 3600,
    minReasonLength: options.minReasonLength ?? 20,
  };
}
