import type { Resource } from '@hospitium/fhir';
import { type Hl7Segment, parseDateTime } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { reportStatus } from './codes/v2-tables.js';
import { authoritySystem, codeableConcept, composite } from './datatypes.js';
import { mapEncounter } from './encounter.js';
import { patientGroups } from './groups.js';
import { mapObservation } from './observation.js';
import { defaultSystem, type MappedPatient, mapPatient } from './patient.js';

/**
 * ORU^R01 → per patient: Patient (matched as in ADT), the visit when PV1 names one, and per OBR
 * a DiagnosticReport with its Observations (one per OBX, NTE notes attached). Reports and
 * observations are matched by the filler order number (OBR-3, else placer OBR-2) so a corrected
 * result (OBR-25/OBX-11 `C`) updates what the preliminary one created.
 */
export function mapOru(b: BundleBuilder): void {
  const groups = patientGroups(b.message);
  if (groups.length === 0) b.required({ segment: 'PID', sequence: 1 }, 'patient identification segment');
  for (const group of groups) {
    const patient = mapPatient(b, group.pid);
    const pv1 = group.segments.find((s) => s.name === 'PV1');
    const encounter = pv1 && composite(pv1, 19) ? mapEncounter(b, pv1, patient, 'R01') : undefined;
    let report: ReportDraft | undefined;
    const reports: ReportDraft[] = [];
    let pendingNotes: Hl7Segment[] | undefined;
    let lastObservation: Resource | undefined;
    for (const seg of group.segments) {
      if (seg.name === 'OBR') {
        report = startReport(b, seg, patient, encounter);
        reports.push(report);
        pendingNotes = report.notes;
        lastObservation = undefined;
      } else if (seg.name === 'OBX') {
        if (!report) {
          report = startReport(b, undefined, patient, encounter);
          reports.push(report);
        }
        lastObservation = mapObservation(b, seg, report, patient, encounter);
        pendingNotes = undefined;
      } else if (seg.name === 'NTE') {
        const text = noteText(seg);
        if (!text) continue;
        if (lastObservation && !pendingNotes) {
          lastObservation.note = [...((lastObservation.note as unknown[]) ?? []), { text }];
        } else pendingNotes?.push(seg);
      }
    }
    for (const r of reports) finishReport(b, r);
  }
}

/** A report being built: its resource, identity and the observations collected for it. */
export interface ReportDraft {
  resource: Resource;
  obr?: Hl7Segment;
  key: { system: string; value: string };
  results: string[];
  presentedForm: Record<string, unknown>[];
  notes: Hl7Segment[];
  effective?: string;
  observationCount: number;
}

function startReport(
  b: BundleBuilder,
  obr: Hl7Segment | undefined,
  patient: MappedPatient,
  encounter?: string,
): ReportDraft {
  const tz = b.settings.timezoneOffset;
  const filler = obr && (composite(obr, 3) ?? composite(obr, 2));
  const key = filler
    ? {
        system: authoritySystem(filler.c(2), filler.c(3), filler.c(4)) ?? `${defaultSystem(b)}:order`,
        value: filler.c(1) as string,
      }
    : { system: `${defaultSystem(b)}:message`, value: `${b.message.controlId}/${patient.key.value}` };
  if (!key.value) key.value = `${b.message.controlId}/${patient.key.value}`;
  const code = obr && composite(obr, 4);
  const concept = code && codeableConcept(code);
  if (obr && !concept) b.required(b.at(obr, 4), 'universal service identifier');
  const status = reportStatus[obr?.value(25) ?? ''] ?? 'final';
  const effective = parseDateTime(obr?.value(7), tz);
  const issued = parseDateTime(obr?.value(22), tz);
  const resource: Resource = {
    resourceType: 'DiagnosticReport',
    identifier: [{ system: key.system, value: key.value }],
    status,
    code: concept ?? { text: 'Results' },
    subject: { reference: patient.fullUrl },
  };
  if (encounter) resource.encounter = { reference: encounter };
  if (effective) resource.effectiveDateTime = effective;
  if (issued?.includes('T')) resource.issued = issued;
  const section = obr?.value(24);
  if (section)
    resource.category = [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: section }] },
    ];
  return { resource, obr, key, results: [], presentedForm: [], notes: [], effective, observationCount: 0 };
}

function finishReport(b: BundleBuilder, r: ReportDraft): void {
  if (r.results.length) r.resource.result = r.results.map((reference) => ({ reference }));
  if (r.presentedForm.length) r.resource.presentedForm = r.presentedForm;
  const conclusion = r.notes.map(noteText).filter(Boolean).join('\n');
  if (conclusion) r.resource.conclusion = conclusion;
  b.upsert(r.resource, r.key, r.obr ? b.at(r.obr) : { segment: 'OBX', sequence: 1 });
}

/** NTE-3 comment (repetitions are lines). */
export function noteText(nte: Hl7Segment): string {
  const lines: string[] = [];
  for (let r = 1; r <= nte.repetitions(3); r++) {
    const text = nte.component(3, r, 1);
    if (text) lines.push(text);
  }
  return lines.join('\n');
}
