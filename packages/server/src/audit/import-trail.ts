import { basename } from 'node:path';
import type { Bundle } from '@hospitium/fhir';
import { patientsOf } from '../auth/policy/patient-targets.js';
import { auditSystems, importEventType } from './codes.js';
import { buildDataAccessEvents } from './data-access-event.js';
import type { AuditRecorder } from './recorder.js';
import type { AuditRequester } from './types.js';

/** What a finished import run reports. */
export interface ImportRunOutcome {
  files: readonly string[];
  resources: number;
  /** Entries or chunks that failed (the run went on). */
  errors: number;
}

/**
 * The audit record of one `hospitium import` run (loading FHIR data from files bypasses the
 * API, so the router writes no events): it notes the patients of every bundle as it is stored
 * — the Patients the bundle created or updated, and the patients its other resources point at —
 * and records one Import event (DICOM 110107) per 1000 patients at the end, naming the files.
 */
export class ImportAuditTrail {
  private readonly patients = new Set<string>();

  /** Notes the patients of a processed bundle (its request and the server's response). */
  noteBundle(bundle: Bundle, response: Bundle): void {
    for (const entry of response.entry ?? []) {
      const location = entry.response?.location ?? '';
      const match = /^Patient\/([A-Za-z0-9\-.]{1,64})(\/|$)/.exec(location);
      if (match) this.patients.add(match[1]);
    }
    for (const entry of bundle.entry ?? []) {
      if (entry.resource) for (const id of patientsOf(entry.resource)) this.patients.add(id);
    }
  }

  /** The patient ids noted so far. */
  get patientIds(): string[] {
    return [...this.patients];
  }

  /** Records the run: outcome 0, or 4 with the error count when some entries failed. */
  async record(recorder: AuditRecorder, requester: AuditRequester, run: ImportRunOutcome): Promise<void> {
    const events = buildDataAccessEvents({
      requester,
      type: importEventType,
      activity: 'import',
      action: 'C',
      status: run.errors > 0 ? 422 : 200,
      ...(run.errors > 0
        ? { outcomeDesc: `${run.errors} entr(ies) or chunk(s) failed; the rest were stored` }
        : {}),
      patients: this.patientIds,
      objects: run.files.map((file, i) => ({
        system: auditSystems.importFile,
        value: basename(file),
        ...(i === 0 ? { detail: { files: String(run.files.length), resources: String(run.resources) } } : {}),
      })),
      observer: recorder.observer,
    });
    await Promise.all(events.map((event) => recorder.record(event)));
  }
}
