import type { Resource } from '@hospitium/fhir';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';

/** One item a SearchParameter expression yields: its FHIR type (`CodeableConcept`, `dateTime`…) and JSON value. */
export interface TypedValue {
  type: string;
  value: unknown;
}

/** System types fhirpath reports for computed values, named as the FHIR primitive they stand for. */
const systemTypes: Record<string, string> = {
  'System.String': 'string',
  'System.Boolean': 'boolean',
  'System.DateTime': 'dateTime',
  'System.Date': 'date',
  'System.Time': 'time',
  'System.Decimal': 'decimal',
  'System.Integer': 'integer',
  'System.Quantity': 'Quantity',
};

/**
 * R4 SearchParameter expressions apply `as` to collections (`Observation.component.value as
 * Quantity`), which FHIRPath N1 only defines on a single item (fhirpath.js throws); the
 * intended meaning, adopted by later FHIRPath versions, is a type filter, `ofType`.
 */
const castInParens = /\(([^()]+?) as ([A-Za-z]+)\)/g;
const castCall = /\.as\(([A-Za-z]+)\)/g;

const resolveIs = /\.where\(\s*resolve\(\)\s+is\s+([A-Z][A-Za-z]*)\s*\)/g;

/**
 * The expression as this evaluator runs it: `as` becomes `ofType` (see above), and
 * `resolve()`, which in `fhirpath` fetches the target (asynchronously, from a server), is
 * removed: the R4 expressions only use it as `.where(resolve() is Type)`, which for a literal
 * reference means "the reference names a Type", so that becomes a test on the reference text.
 */
export function runnableExpression(expression: string): string {
  const rewritten = expression
    .replace(
      resolveIs,
      (_match, type: string) => `.where(reference.startsWith('${type}/') or reference.contains('/${type}/'))`,
    )
    .replace(castInParens, (_match, path: string, type: string) => `(${path}).ofType(${type})`)
    .replace(castCall, (_match, type: string) => `.ofType(${type})`);
  if (rewritten.includes('resolve()')) throw new Error(`unhandled resolve() in ${expression}`);
  return rewritten;
}

type Evaluate = (resource: unknown) => unknown[];
const compiled = new Map<string, Evaluate>();

function compiledExpression(expression: string): Evaluate {
  let fn = compiled.get(expression);
  if (!fn) {
    fn = fhirpath.compile(runnableExpression(expression), r4, { resolveInternalTypes: false }) as Evaluate;
    compiled.set(expression, fn);
  }
  return fn;
}

/**
 * Evaluates a SearchParameter expression over one resource with HL7's `fhirpath` and the R4
 * model: every non-empty item with its type. Items without a value (a primitive carrying only
 * extensions) are dropped, as they hold nothing to search on.
 */
export function evaluateExpression(resource: Resource, expression: string): TypedValue[] {
  const items = compiledExpression(expression)(resource);
  const out: TypedValue[] = [];
  for (const item of items) {
    const value: unknown = fhirpath.resolveInternalTypes([item])[0];
    if (value === null || value === undefined) continue;
    const raw = fhirpath.types([item])[0] ?? 'System.Any';
    const type = systemTypes[raw] ?? raw.replace(/^FHIR\./, '');
    out.push({ type, value });
  }
  return out;
}
