import { compileFallback } from './fallback.js';
import { compileFast } from './fast.js';
import { parseSimplePath } from './parse.js';
import type { Evaluator } from './typed-value.js';

export interface CompiledExpression {
  evaluate: Evaluator;
  /** Parts evaluated by the fast evaluator and parts left to `fhirpath`, for tests and docs. */
  fastParts: string[];
  fallbackParts: string[];
  /** The types the fast parts can yield (`Reference`, `CodeableConcept`, `dateTime` …). */
  resultTypes: string[];
}

/**
 * Compiles the union parts of one search parameter for one resource type. The choice is made
 * here, once, per part: the fast evaluator when the part is a simple path it can type against
 * the model, `fhirpath` otherwise. Values of the parts are concatenated, not de-duplicated as
 * FHIRPath's `|` would: index rows are de-duplicated afterwards anyway.
 */
export function compileExpression(parts: readonly string[], resourceType: string): CompiledExpression {
  const evaluators: Evaluator[] = [];
  const fastParts: string[] = [];
  const fallbackParts: string[] = [];
  const resultTypes = new Set<string>();
  for (const part of parts) {
    const simple = parseSimplePath(part);
    const fast = simple && compileFast(simple, resourceType);
    if (fast) {
      evaluators.push(fast.evaluate);
      fastParts.push(part);
      for (const t of fast.resultTypes) resultTypes.add(t);
    } else {
      evaluators.push(compileFallback(part));
      fallbackParts.push(part);
    }
  }
  const evaluate: Evaluator =
    evaluators.length === 1
      ? evaluators[0]
      : (resource, sink) => {
          for (const e of evaluators) e(resource, sink);
        };
  return { evaluate, fastParts, fallbackParts, resultTypes: [...resultTypes] };
}
