import { badRequest } from '@hospitium/fhir';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

/**
 * Evaluates a FHIRPath expression over a response body or fixture with HL7's `fhirpath` and the
 * R4 model (so choice types such as `Observation.value` and `is`/`as` work). Each expression is
 * compiled once. An expression that does not parse or fails → 400 naming it.
 */
const compiled = new Map<string, (resource: unknown) => unknown[]>();

function compile(expression: string): (resource: unknown) => unknown[] {
  let fn = compiled.get(expression);
  if (!fn) {
    try {
      const evaluator = fhirpath.compile(expression, r4, { async: false });
      fn = (resource: unknown) => evaluator(resource) as unknown[];
    } catch (err) {
      throw badRequest(`FHIRPath '${expression}' does not parse: ${(err as Error).message}`);
    }
    compiled.set(expression, fn);
  }
  return fn;
}

/** The result collection of `expression` over `data` (an empty collection when data is absent). */
export function evaluateFhirPath(data: unknown, expression: string): unknown[] {
  const fn = compile(expression);
  if (data === undefined || data === null) return [];
  try {
    // fhirpath annotates the objects it walks; evaluate a copy so fixtures stay as written.
    return fn(structuredClone(data));
  } catch (err) {
    throw badRequest(`FHIRPath '${expression}' failed: ${(err as Error).message}`);
  }
}

/** A FHIRPath result item as text (strings as is, other values as JSON). */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}
