import type { IssueCode } from '../outcome/outcome.js';
import { validateResource } from './index.js';

/** Resources for the validator tests: valid as built, so a test breaks exactly one element. */

/** A valid Observation (systolic blood pressure). */
export function observation(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: 'bp-1',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }], text: 'Systolic blood pressure' },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2024-03-01T10:15:00+01:00',
    valueQuantity: { value: 120, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    ...extra,
  };
}

/** A valid Patient with a name. */
export function patient(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: 'p1',
    name: [{ family: 'Chalmers', given: ['Peter', 'James'] }],
    ...extra,
  };
}

export interface FoundIssue {
  code: IssueCode;
  expression?: string[];
}

/** The issues reduced to what a client acts on: what kind of problem, where. */
export function found(value: unknown, expectedType?: string): FoundIssue[] {
  return validateResource(value, expectedType).map((i) => ({ code: i.code, expression: i.expression }));
}

/** The single issue expected from a bad input. */
export const one = (code: IssueCode, expression: string): FoundIssue[] => [
  { code, expression: [expression] },
];

/** A row of a bad-input table: the input and exactly the issues it must produce. */
export interface BadInput {
  name: string;
  resource: unknown;
  expectedType?: string;
  issues: FoundIssue[];
}
