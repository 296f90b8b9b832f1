import type { FhirClient } from '../../api/fhir-client';
import type { Bundle, Patient } from '../../api/fhir-types';

/** The FHIR match grades, strongest first. */
export type MatchGrade = 'certain' | 'probable' | 'possible' | 'certainly-not';
export const matchGradeUrl = 'http://hl7.org/fhir/StructureDefinition/match-grade';

/** One record the server thinks may be the person: the record, its score and grade. */
export interface MatchCandidate {
  patient: Patient;
  /** 0–1, as `Bundle.entry.search.score`. */
  score: number;
  grade: MatchGrade;
}

/** The candidates of a `$match` searchset, in the server's order. */
export function candidatesOf(bundle: Bundle<Patient>): MatchCandidate[] {
  return (bundle.entry ?? [])
    .filter((e) => e.resource?.resourceType === 'Patient')
    .map((e) => {
      const grade = e.search?.extension?.find((x) => x.url === matchGradeUrl)?.valueCode;
      return {
        patient: e.resource as Patient,
        score: e.search?.score ?? 0,
        grade: isGrade(grade) ? grade : 'possible',
      };
    });
}

function isGrade(value: string | undefined): value is MatchGrade {
  return value === 'certain' || value === 'probable' || value === 'possible' || value === 'certainly-not';
}

/** Calls `Patient/$match` with the patient being looked for. */
export async function matchPatients(
  fhir: FhirClient,
  patient: Patient,
  count = 10,
): Promise<MatchCandidate[]> {
  const bundle = await fhir.operation<Bundle<Patient>>('Patient', 'match', {
    resourceType: 'Parameters',
    parameter: [
      { name: 'resource', resource: patient },
      { name: 'count', valueInteger: count },
    ],
  });
  return candidatesOf(bundle);
}

/** Words for a grade, for people who do not speak MPI. */
export const gradeLabels: Record<MatchGrade, { label: string; color: string }> = {
  certain: { label: 'Same person', color: 'red' },
  probable: { label: 'Likely the same', color: 'orange' },
  possible: { label: 'Possibly the same', color: 'yellow' },
  'certainly-not': { label: 'Different person', color: 'gray' },
};
