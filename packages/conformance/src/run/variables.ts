import { badRequest } from '@hospitium/fhir';
import type { Variable } from '../script/types.js';
import { evaluateFhirPath, valueText } from './fhirpath.js';
import { getFixture } from './fixtures.js';
import type { RunState } from './state.js';

/**
 * A small JSONPath subset for `variable.path` and `assert.path`: `$.a.b[0].c` or `a.b[0].c`.
 * Returns every value reached (arrays along the way are flattened unless indexed).
 */
export function evaluateJsonPath(data: unknown, path: string): unknown[] {
  const steps = path
    .replace(/^\$\.?/, '')
    .split(/\.|(?=\[)/)
    .filter((s) => s !== '');
  let current: unknown[] = data === undefined ? [] : [data];
  for (const step of steps) {
    const index = /^\[(\d+)\]$/.exec(step);
    const next: unknown[] = [];
    for (const item of current) {
      if (index) {
        if (Array.isArray(item) && Number(index[1]) < item.length) next.push(item[Number(index[1])]);
      } else if (typeof item === 'object' && item !== null) {
        const values = (Array.isArray(item) ? item : [item]).map((v) =>
          typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[step] : undefined,
        );
        for (const v of values) if (v !== undefined) next.push(v);
      }
    }
    current = next;
  }
  return current;
}

/** The current value of a variable, or undefined when its source has nothing (and no default). */
export function variableValue(state: RunState, variable: Variable): string | undefined {
  const fixture = variable.sourceId ? getFixture(state, variable.sourceId) : undefined;
  const exchange = fixture ? fixture.exchange : state.last;
  const body = fixture && !fixture.exchange ? fixture.body : exchange?.response.body;
  let value: string | undefined;
  if (variable.headerField) {
    value = exchange?.response.headers[variable.headerField.toLowerCase()];
  } else if (variable.expression) {
    const found = evaluateFhirPath(body, substitute(variable.expression, state));
    value = found.length > 0 ? valueText(found[0]) : undefined;
  } else if (variable.path) {
    const found = evaluateJsonPath(body, substitute(variable.path, state));
    value = found.length > 0 ? valueText(found[0]) : undefined;
  }
  return value ?? variable.defaultValue;
}

/**
 * Replaces every `${name}` by the variable's value, evaluated now (so a variable over a
 * response fixture sees the latest response). An undeclared variable, or one with no value,
 * → 400 naming it: sending a literal `${…}` to the server would hide the script's mistake.
 */
export function substitute(text: string, state: RunState): string {
  return text.replace(/\$\{([A-Za-z0-9_\-.]+)\}/g, (_, name: string) => {
    const variable = state.variables.find((v) => v.name === name);
    if (!variable) throw badRequest(`Variable '${name}' is not declared`);
    const value = variableValue(state, variable);
    if (value === undefined) throw badRequest(`Variable '${name}' has no value (its source has nothing)`);
    return value;
  });
}

/** `substitute` applied to every string inside a JSON value (fixture bodies). */
export function substituteDeep(value: unknown, state: RunState): unknown {
  if (typeof value === 'string') return value.includes('${') ? substitute(value, state) : value;
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, state));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, state)]));
  }
  return value;
}
