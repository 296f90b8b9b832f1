import { type Resource, toOperationOutcomeError } from '@hospitium/fhir';
import { auditSystems, exportEventType } from '../audit/codes.js';
import { buildDataAccessEvents } from '../audit/data-access-event.js';
import type { AuditRecorder } from '../audit/recorder.js';
import type { AuditRequester } from '../audit/types.js';
import { patientsOf } from '../auth/policy/patient-targets.js';

/** One download of an export file, for its AuditEvent. */
export interface DownloadAudit {
  recorder: AuditRecorder;
  requester: AuditRequester;
  jobId: string;
  fileNo: number;
}

/**
 * Records a refused download (403 another client's job, 404 no such file) with outcome 4.
 */
export async function recordRefusedDownload(
  audit: DownloadAudit,
  status: number,
  outcomeDesc: string,
): Promise<void> {
  await record(audit, { status, outcomeDesc, patients: [], resourceType: '', resources: 0 });
}

/**
 * Passes an export file's NDJSON through while noting the patients of every line (the
 * Patient-compartment references, or the Patient itself), then records one Export event
 * (DICOM 110106) naming them — in parts of 1000 patients for big files. The event is written
 * when the stream ends, completed or not (a client that hangs up got part of the file: outcome
 * 8 with the lines sent so far): the file is streamed, so unlike a FHIR read it cannot wait for
 * its record before the first byte goes out.
 */
export async function* auditedDownload(
  audit: DownloadAudit,
  chunks: AsyncIterable<string>,
): AsyncGenerator<string> {
  const patients = new Set<string>();
  let resources = 0;
  let resourceType = '';
  let completed = false;
  let failure: string | undefined;
  try {
    for await (const chunk of chunks) {
      for (const line of chunk.split('\n')) {
        if (line.trim() === '') continue;
        resources++;
        try {
          const resource = JSON.parse(line) as Resource;
          resourceType ||= resource.resourceType;
          for (const id of patientsOf(resource)) patients.add(id);
        } catch {
          // A line the exporter wrote is JSON; should one not be, it still counts as sent.
        }
      }
      yield chunk;
    }
    completed = true;
  } catch (err) {
    failure = toOperationOutcomeError(err).message;
    throw err;
  } finally {
    await record(audit, {
      status: completed ? 200 : 500,
      ...(completed ? {} : { outcomeDesc: failure ?? 'The download ended before the whole file was sent' }),
      patients: [...patients],
      resourceType,
      resources,
    }).catch(() => undefined);
  }
}

async function record(
  audit: DownloadAudit,
  what: { status: number; outcomeDesc?: string; patients: string[]; resourceType: string; resources: number },
): Promise<void> {
  const events = buildDataAccessEvents({
    requester: audit.requester,
    type: exportEventType,
    activity: 'export-file',
    action: 'R',
    status: what.status,
    ...(what.outcomeDesc ? { outcomeDesc: what.outcomeDesc } : {}),
    patients: what.patients,
    objects: [
      {
        system: auditSystems.exportFile,
        value: `${audit.jobId}/${audit.fileNo}`,
        detail: { resourceType: what.resourceType, resources: String(what.resources) },
      },
    ],
    observer: audit.recorder.observer,
  });
  await Promise.all(events.map((event) => audit.recorder.record(event)));
}
