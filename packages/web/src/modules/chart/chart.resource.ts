import { type FhirClient, matches } from '../../api/fhir-client';
import type { CodeableConcept, Patient, Resource } from '../../api/fhir-types';
import { type Loaded, useFhir } from '../../api/use-fhir';
import { hospitalConfig } from '../../app/config';
import { useAuth } from '../../auth/auth-context';
import { codeStatusFlag, type Encounter, type Observation } from './chart-view';

export interface AllergyIntolerance extends Resource {
  code?: CodeableConcept;
  criticality?: string;
  clinicalStatus?: CodeableConcept;
  reaction?: { manifestation?: CodeableConcept[] }[];
}
export interface Condition extends Resource {
  code?: CodeableConcept;
  clinicalStatus?: CodeableConcept;
  onsetDateTime?: string;
  recordedDate?: string;
}
export interface MedicationRequest extends Resource {
  status?: string;
  medicationCodeableConcept?: CodeableConcept;
  medicationReference?: { display?: string };
  authoredOn?: string;
  dosageInstruction?: { text?: string }[];
}
export interface Immunization extends Resource {
  vaccineCode?: CodeableConcept;
  occurrenceDateTime?: string;
  status?: string;
}
export interface CodeStatusFact extends Resource {
  code?: CodeableConcept;
  valueCodeableConcept?: CodeableConcept;
  effectiveDateTime?: string;
}

const search = <T extends Resource>(
  fhir: FhirClient,
  type: string,
  params: Record<string, string | string[]>,
) => fhir.search<T>(type, params).then(matches);

export function usePatient(id: string): Loaded<Patient> {
  const { fhir } = useAuth();
  return useFhir(() => fhir.read<Patient>('Patient', id), [fhir, id]);
}

/** Active allergies and intolerances. */
export function useAllergies(patientId: string): Loaded<AllergyIntolerance[]> {
  const { fhir } = useAuth();
  return useFhir(
    () => search<AllergyIntolerance>(fhir, 'AllergyIntolerance', { patient: patientId, _count: '50' }),
    [fhir, patientId],
  );
}

/** The in-progress encounter (where the patient is now and who attends), if any. */
export function useCurrentEncounter(patientId: string): Loaded<Encounter | undefined> {
  const { fhir } = useAuth();
  return useFhir(
    () =>
      search<Encounter>(fhir, 'Encounter', {
        patient: patientId,
        status: 'in-progress',
        _sort: '-date',
        _count: '1',
      }).then((list) => list[0]),
    [fhir, patientId],
  );
}

/** The latest code-status fact: an Observation with a code-status code, else an active Flag. */
export function useCodeStatus(patientId: string): Loaded<CodeStatusFact | undefined> {
  const { fhir } = useAuth();
  return useFhir(async () => {
    const code = hospitalConfig.codeStatusCodes.join(',');
    const [observation] = await search<CodeStatusFact>(fhir, 'Observation', {
      patient: patientId,
      code,
      _sort: '-date',
      _count: '1',
    });
    if (observation) return observation;
    // Flag has no `code` or `status` search parameter in R4: the patient's flags, chosen here.
    const flags = await search<CodeStatusFact & { status?: string }>(fhir, 'Flag', {
      patient: patientId,
      _count: '100',
    });
    return codeStatusFlag(flags, hospitalConfig.codeStatusCodes);
  }, [fhir, patientId]);
}

export function useEncounters(patientId: string): Loaded<Encounter[]> {
  const { fhir } = useAuth();
  return useFhir(
    () => search<Encounter>(fhir, 'Encounter', { patient: patientId, _sort: '-date', _count: '10' }),
    [fhir, patientId],
  );
}

export function useProblems(patientId: string): Loaded<Condition[]> {
  const { fhir } = useAuth();
  return useFhir(
    () =>
      search<Condition>(fhir, 'Condition', { patient: patientId, 'clinical-status': 'active', _count: '50' }),
    [fhir, patientId],
  );
}

export function useMedications(patientId: string): Loaded<MedicationRequest[]> {
  const { fhir } = useAuth();
  return useFhir(
    () =>
      search<MedicationRequest>(fhir, 'MedicationRequest', {
        patient: patientId,
        status: 'active',
        _sort: '-authoredon',
        _count: '50',
      }),
    [fhir, patientId],
  );
}

export function useImmunizations(patientId: string): Loaded<Immunization[]> {
  const { fhir } = useAuth();
  return useFhir(
    () => search<Immunization>(fhir, 'Immunization', { patient: patientId, _sort: '-date', _count: '20' }),
    [fhir, patientId],
  );
}

/** Recent observations of a category (vital signs, laboratory), newest first. */
export function useObservations(patientId: string, category: string): Loaded<Observation[]> {
  const { fhir } = useAuth();
  return useFhir(
    () =>
      search<Observation>(fhir, 'Observation', {
        patient: patientId,
        category,
        _sort: '-date',
        _count: '100',
      }),
    [fhir, patientId, category],
  );
}

/** Every observation of one code (`system|code`), for a trend. */
export function useObservationSeries(patientId: string, code: string | undefined): Loaded<Observation[]> {
  const { fhir } = useAuth();
  return useFhir(
    () =>
      code
        ? search<Observation>(fhir, 'Observation', {
            patient: patientId,
            code,
            _sort: '-date',
            _count: '200',
          })
        : Promise.resolve([]),
    [fhir, patientId, code],
  );
}
