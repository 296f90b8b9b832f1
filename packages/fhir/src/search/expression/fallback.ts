import fhirpath from 'fhirpath';
import type { Resource } from '../../types.js';
import { r4Model } from '../model/r4-model.js';
import { referenceTargetType, withLogicalReferences } from './reference-target.js';
import type { Evaluator, ValueSink } from './typed-value.js';

/**
 * The slow path: HL7's `fhirpath` (5.2.0) with the R4 model, for the few expression parts the
 * fast evaluator does not handle (`Bundle.entry[0].resource`,
 * `Patient.deceased.exists() and Patient.deceased != false`, elements the R4 model lacks).
 * Each part is compiled once.
 *
 * `resolve()` in `fhirpath` fetches from a server and is asynchronous; indexing must stay
 * local and synchronous, so it is replaced by a stub that returns `{ resourceType, id }` read
 * from the reference itself (see `referenceTargetType`).
 */

/** The resource being evaluated, for `#contained` references in the `resolve()` stub. */
let currentRoot: unknown;

interface ResNodeClass {
  makeResNode(ctx: unknown, data: unknown, ...rest: null[]): unknown;
}

function isResourceNode(v: unknown): v is { data: unknown; getTypeInfo: () => unknown } {
  return (
    typeof v === 'object' &&
    v !== null &&
    'data' in v &&
    typeof (v as { getTypeInfo?: unknown }).getTypeInfo === 'function'
  );
}

/**
 * `resolve()` without I/O. It receives fhirpath's internal nodes (`internalStructures`) so it
 * can hand back nodes of the same class: `is Patient` only recognises typed nodes.
 */
function resolveWithoutServer(this: unknown, inputs: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const node of inputs) {
    if (!isResourceNode(node)) continue;
    const ref = typeof node.data === 'string' ? { reference: node.data } : node.data;
    const type = referenceTargetType(ref, currentRoot);
    if (!type) continue;
    const cls = node.constructor as unknown as ResNodeClass;
    out.push(cls.makeResNode(this, { resourceType: type }, null, null, null, null));
  }
  return out;
}

const resolveInvocation = {
  resolve: { fn: resolveWithoutServer, arity: { 0: [] }, internalStructures: true },
};

/** Passes fhirpath's result items (internal nodes or system values) to `sink` with their types. */
function emitAll(items: readonly unknown[], sink: ValueSink): void {
  for (const item of items) {
    // A node of a primitive with only extensions has no value; decimals come wrapped (FP_Decimal).
    if (isResourceNode(item) && (item.data === null || item.data === undefined)) continue;
    const value: unknown = fhirpath.resolveInternalTypes([item])[0];
    if (value === null || value === undefined) continue;
    const type = fhirpath.types([item])[0] ?? 'System.Any';
    sink(value, type.startsWith('FHIR.') ? type.slice(5) : type);
  }
}

/** Compiles one expression part with `fhirpath`; throws (at build time) if it does not parse. */
export function compileFallback(part: string): Evaluator {
  const evaluate = fhirpath.compile(withLogicalReferences(part), r4Model, {
    resolveInternalTypes: false,
    userInvocationTable: resolveInvocation,
  });
  return (resource: Resource, sink: ValueSink) => {
    currentRoot = resource;
    try {
      emitAll(evaluate(resource), sink);
    } finally {
      currentRoot = undefined;
    }
  };
}
