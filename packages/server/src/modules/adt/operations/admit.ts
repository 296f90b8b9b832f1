import type { Repository } from '@hospitium/db';
import { conflict, isOperationOutcomeError, type Resource, unprocessable } from '@hospitium/fhir';
import type { FhirOperation } from '../../../fhir/operations/operation.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../../../fhir/types.js';
import {
  bedNeedsCleaning,
  checkBedFree,
  type EncounterResource,
  type LocationResource,
  loadBed,
  loadEncounter,
  lockForAdt,
  setBedStatus,
  unitOf,
} from '../beds.js';
import { admitSources, adtSystems, bedHoldingStatuses, bedStatusCodes, inpatientClasses } from '../codes.js';
import { OperationInput } from '../parameters.js';
import { heldBeds, moveTo, nextStatus, withAttending } from '../stay.js';
import { adtDefinition, returnParameter } from './definition.js';

const definition = adtDefinition({
  code: 'admit',
  resource: 'Encounter',
  level: 'type',
  title: 'Admit a patient to a bed',
  description:
    'Admits a patient as an inpatient to a clean bed: a new inpatient Encounter (or an existing planned or emergency Encounter converted), the bed occupied; an emergency bed left becomes dirty with a cleaning Task. One transaction; 409 when the bed is not clean and free or the patient is already admitted.',
  parameter: [
    { name: 'patient', use: 'in', min: 1, max: '1', type: 'Reference' },
    { name: 'bed', use: 'in', min: 1, max: '1', type: 'Reference' },
    { name: 'attending', use: 'in', min: 0, max: '1', type: 'Reference' },
    { name: 'admitSource', use: 'in', min: 1, max: '1', type: 'code' },
    { name: 'reason', use: 'in', min: 0, max: '1', type: 'string' },
    { name: 'encounter', use: 'in', min: 0, max: '1', type: 'Reference' },
    { name: 'time', use: 'in', min: 0, max: '1', type: 'dateTime' },
    returnParameter('Encounter'),
  ],
});

/** Admission kinds a registrar names besides the FHIR admit sources (Hospitium's admission-kind codes). */
const admissionKinds: Readonly<Record<string, string>> = {
  direct: 'Direct admission',
  elective: 'Elective admission',
};
const admissionKindSystem = 'http://hospitium.org/fhir/CodeSystem/admission-kind';
const sources = { ...admitSources, ...admissionKinds };

/** 422 unless the resource exists; returns it. */
async function mustExist(repo: Repository, type: string, id: string, what: string): Promise<Resource> {
  try {
    return await repo.readResource(type, id);
  } catch (err) {
    if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) {
      throw unprocessable(`The ${what} ${type}/${id} does not exist`);
    }
    throw err;
  }
}

export function displayName(resource: Resource): string | undefined {
  const name = (
    resource as { name?: { text?: string; given?: string[]; family?: string; prefix?: string[] }[] }
  ).name?.[0];
  if (!name) return undefined;
  return name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ');
}

/**
 * `POST [base]/Encounter/$admit` — admits a patient to a bed in one transaction: the bed must be
 * clean (U) and free, the patient must have no other inpatient stay in progress (409 otherwise).
 * Without `encounter` a new inpatient Encounter is created (201); with one (a planned visit or
 * an emergency visit of the same patient) it becomes the inpatient stay (200): class IMP with
 * the old class in `classHistory`, the emergency bed left dirty with a cleaning Task.
 */
async function admit(req: FhirRequest, ctx: FhirContext): Promise<FhirResponse> {
  const input = new OperationInput('admit', req.body, [
    'patient',
    'bed',
    'attending',
    'admitSource',
    'reason',
    'encounter',
    'time',
  ]);
  const patientId = input.reference('patient', 'Patient', true);
  const bedId = input.reference('bed', 'Location', true);
  const attendingId = input.reference('attending', 'Practitioner');
  const source = input.code('admitSource', adtSystems.admitSource, sources, true) as string;
  const reason = input.string('reason');
  const existingId = input.reference('encounter', 'Encounter');
  const time = input.time('time', new Date());

  const result = await ctx.repository.withTransaction(async (repo) => {
    await lockForAdt(repo, { patient: patientId, beds: [bedId] });
    const patient = await mustExist(repo, 'Patient', patientId, 'patient');
    const bed = await loadBed(repo, bedId);
    await checkBedFree(repo, bed);
    const attending = attendingId
      ? await mustExist(repo, 'Practitioner', attendingId, 'attending')
      : undefined;
    const existing = existingId ? await convertible(repo, existingId, patientId) : undefined;
    await checkNotAdmitted(repo, patientId, displayName(patient), existingId);
    const unit = await unitOf(repo, bed);

    const base: EncounterResource = existing ?? {
      resourceType: 'Encounter',
      id: '',
      status: 'planned',
      subject: { reference: `Patient/${patientId}`, display: displayName(patient) },
      period: { start: time },
    };
    const leftBeds = existing ? heldBeds(existing) : [];
    const wasClass = existing?.class;
    const encounter: EncounterResource = {
      ...base,
      ...(existing?.status === 'planned' ? nextStatus(existing, 'in-progress', time) : {}),
      status: 'in-progress',
      class: { system: adtSystems.actCode, code: 'IMP', display: 'inpatient encounter' },
      ...(wasClass && !inpatientClasses.has(wasClass.code ?? '')
        ? {
            classHistory: [
              ...(existing?.classHistory ?? []),
              { class: wasClass, period: { start: existing?.period?.start ?? time, end: time } },
            ],
          }
        : {}),
      ...(source === 'elective'
        ? {
            priority: {
              coding: [
                {
                  system: adtSystems.actCode.replace('ActCode', 'ActPriority'),
                  code: 'EL',
                  display: 'elective',
                },
              ],
            },
          }
        : {}),
      period: { ...base.period, start: existing?.status === 'planned' ? time : (base.period?.start ?? time) },
      participant: withAttending(base, attendingId, attending ? displayName(attending) : undefined, time),
      ...(reason ? { reasonCode: [{ text: reason }] } : {}),
      hospitalization: {
        ...base.hospitalization,
        admitSource: {
          coding: [
            source in admissionKinds
              ? { system: admissionKindSystem, code: source, display: admissionKinds[source] }
              : { system: adtSystems.admitSource, code: source, display: admitSources[source] },
          ],
        },
      },
      location: moveTo(base, bed, unit, time),
    };
    if (encounter.participant === undefined) delete encounter.participant;
    let saved: EncounterResource;
    if (existing) {
      saved = (await repo.updateResource(encounter)).resource as EncounterResource;
    } else {
      const { id: _id, ...fresh } = encounter;
      saved = (await repo.createResource(fresh as Resource)) as EncounterResource;
    }
    await setBedStatus(repo, bed, bedStatusCodes.occupied);
    for (const left of leftBeds) {
      if (left === bedId) continue;
      const old = (await repo.readResource('Location', left)) as LocationResource;
      await bedNeedsCleaning(repo, old, `patient admitted to ${bed.name ?? bed.id}`, time, {
        encounter: saved.id,
        reason: 'admitted',
      });
    }
    return { saved, created: !existing };
  });
  return {
    status: result.created ? 201 : 200,
    headers: result.created
      ? { location: `${ctx.baseUrl}/Encounter/${result.saved.id}/_history/${result.saved.meta?.versionId}` }
      : {},
    body: result.saved,
  };
}

/** An encounter `$admit` may turn into the inpatient stay: the same patient's planned or emergency visit. */
async function convertible(repo: Repository, id: string, patientId: string): Promise<EncounterResource> {
  const encounter = await loadEncounter(repo, id).catch((err) => {
    if (isOperationOutcomeError(err) && (err.status === 404 || err.status === 410)) {
      throw unprocessable(`The encounter Encounter/${id} does not exist`);
    }
    throw err;
  });
  if (encounter.subject?.reference !== `Patient/${patientId}`) {
    throw unprocessable(`Encounter/${id} is not an encounter of Patient/${patientId}`);
  }
  if (inpatientClasses.has(encounter.class?.code ?? '') && encounter.status !== 'planned') {
    throw conflict(`Encounter/${id} is already an inpatient stay (${encounter.status})`);
  }
  if (!['planned', 'arrived', 'triaged', 'in-progress'].includes(encounter.status)) {
    throw conflict(
      `Encounter/${id} is ${encounter.status}; only a planned or current visit can become an admission`,
    );
  }
  return encounter;
}

/** 409 when the patient already has an inpatient stay in progress (or on leave). */
async function checkNotAdmitted(
  repo: Repository,
  patientId: string,
  name: string | undefined,
  except?: string,
): Promise<void> {
  const found = await repo.search({
    resourceType: 'Encounter',
    filters: [
      { code: 'subject', values: [`Patient/${patientId}`] },
      { code: 'status', values: [...bedHoldingStatuses] },
    ],
    count: 50,
  });
  const stay = found.resources.find(
    (e) => e.id !== except && inpatientClasses.has((e as EncounterResource).class?.code ?? ''),
  );
  if (stay) {
    throw conflict(
      `${name ?? 'The patient'} (Patient/${patientId}) is already admitted (Encounter/${stay.id}); transfer or discharge that stay instead`,
    );
  }
}

export const admitOperation: FhirOperation = { definition, methods: ['POST'], handler: admit };
