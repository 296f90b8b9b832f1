import type { Resource } from '../../types.js';

/**
 * One value an expression selected, with its type as `fhirpath` names it: FHIR types without
 * a namespace (`CodeableConcept`, `dateTime`, `Reference`), system types with one
 * (`System.String` for `Resource.id`, `System.Boolean` for a computed boolean).
 */
export interface TypedValue {
  value: unknown;
  type: string;
}

/** Receives each selected value; evaluators call it instead of building arrays (index extraction is hot). */
export type ValueSink = (value: unknown, type: string) => void;

/** Evaluates an expression (or one part of a union) against a resource, passing each value to `sink`. */
export type Evaluator = (resource: Resource, sink: ValueSink) => void;

/** The values an evaluator selects, as an array (tests, diagnostics). */
export function collectValues(evaluate: Evaluator, resource: Resource): TypedValue[] {
  const out: TypedValue[] = [];
  evaluate(resource, (value, type) => out.push({ value, type }));
  return out;
}
