import { badRequest } from '@hospitium/fhir';
import type { Assert } from '../script/types.js';
import { evaluateFhirPath, valueText } from './fhirpath.js';
import { fixtureBody, getFixture } from './fixtures.js';
import type { Exchange } from './http.js';
import { minimumMissing } from './minimum.js';
import { compare, isOperator, type OperatorCode } from './operators.js';
import type { RunState } from './state.js';
import { evaluateJsonPath, substitute, substituteDeep } from './variables.js';

/** The outcome of one assert. */
export interface AssertResult {
  label: string;
  passed: boolean;
  /** `warningOnly`: reported, never fails the test. */
  warningOnly: boolean;
  /** What was checked, with the expected value. */
  check: string;
  /** What the server actually answered for it. */
  actual?: string;
  /** Why it failed when not a plain mismatch (unsupported element, bad expression…). */
  message?: string;
  /** The request it was asserted on, e.g. `GET http://…/Patient?x=1 → 404`. */
  exchange?: string;
}

/** `response` codes of R4 `assert-response-code-types` → HTTP status. */
export const responseCodes: Record<string, number> = {
  okay: 200,
  created: 201,
  noContent: 204,
  notModified: 304,
  bad: 400,
  forbidden: 403,
  notFound: 404,
  methodNotAllowed: 405,
  conflict: 409,
  gone: 410,
  preconditionFailed: 412,
  unprocessable: 422,
};

interface Check {
  check: string;
  actual: string[];
  expected: string | undefined;
  operator: OperatorCode;
}

/** The actual value for reports, cut at 300 characters (a whole CapabilityStatement helps nobody). */
function shown(values: readonly string[]): string {
  if (values.length === 0) return '(nothing)';
  const text = values.join(',');
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
}

function operatorOf(a: Assert, fallback: OperatorCode): OperatorCode {
  if (a.operator === undefined) return fallback;
  if (!isOperator(a.operator)) throw badRequest(`Unsupported assert operator '${a.operator}'`);
  return a.operator;
}

/** JSON with object keys sorted, so that key order never decides a comparison. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Everything except `id`, `meta` and `text`, which the server sets: for whole-resource comparison. */
function content(body: unknown): string {
  if (typeof body !== 'object' || body === null) return canonical(body);
  const { id: _id, meta: _meta, text: _text, ...rest } = body as Record<string, unknown>;
  return canonical(rest);
}

function checksFor(a: Assert, state: RunState, exchange: Exchange | undefined, body: unknown): Check[] {
  const checks: Check[] = [];
  const value = a.value === undefined ? undefined : substitute(a.value, state);
  const response = exchange?.response;
  const header = (name: string) => {
    const v = a.direction === 'request' ? exchange?.request.headers[name] : response?.headers[name];
    return v === undefined ? [] : [v];
  };
  const status = response ? [String(response.status)] : [];

  if (a.validateProfileId !== undefined) {
    throw badRequest(`validateProfileId is unsupported by this runner (profile '${a.validateProfileId}')`);
  }
  if (a.responseCode !== undefined) {
    const op = operatorOf(a, 'equals');
    checks.push({
      check: `responseCode ${op} ${a.responseCode}`,
      actual: status,
      expected: a.responseCode,
      operator: op,
    });
  }
  if (a.response !== undefined) {
    const code = responseCodes[a.response];
    if (code === undefined) throw badRequest(`Unknown response code '${a.response}'`);
    const op = operatorOf(a, 'equals');
    checks.push({
      check: `response ${op} ${a.response} (${code})`,
      actual: status,
      expected: String(code),
      operator: op,
    });
  }
  if (a.contentType !== undefined) {
    // A full media type defaults to `equals`, a short code (`json`, STU3 style) to `contains`;
    // `equals` compares the media type without its parameters (`; charset=utf-8`).
    const op = operatorOf(a, a.contentType.includes('/') ? 'equals' : 'contains');
    const actual = header('content-type').map((v) =>
      op === 'equals' || op === 'notEquals' ? v.split(';')[0].trim() : v,
    );
    checks.push({
      check: `contentType ${op} ${a.contentType}`,
      actual,
      expected: a.contentType,
      operator: op,
    });
  }
  if (a.headerField !== undefined) {
    const op = operatorOf(a, 'equals');
    checks.push({
      check: `header ${a.headerField} ${op} ${value ?? ''}`.trim(),
      actual: header(a.headerField.toLowerCase()),
      expected: value,
      operator: op,
    });
  }
  if (a.resource !== undefined) {
    const op = operatorOf(a, 'equals');
    const type = (body as { resourceType?: unknown } | undefined)?.resourceType;
    checks.push({
      check: `resource ${op} ${a.resource}`,
      actual: typeof type === 'string' ? [type] : [],
      expected: a.resource,
      operator: op,
    });
  }
  if (a.compareToSourceId !== undefined) {
    const source = substituteDeep(fixtureBody(state, a.compareToSourceId), state);
    const op = operatorOf(a, 'equals');
    const sourceExpr = a.compareToSourceExpression ?? a.compareToSourcePath;
    if (sourceExpr === undefined) {
      checks.push({
        check: `resource equals fixture '${a.compareToSourceId}' (ignoring id, meta, text)`,
        actual: [content(body)],
        expected: content(source),
        operator: op,
      });
    } else {
      const evaluate = (data: unknown, expr: string) =>
        (a.compareToSourceExpression !== undefined
          ? evaluateFhirPath(data, expr)
          : evaluateJsonPath(data, expr)
        ).map(valueText);
      const expr = substitute(sourceExpr, state);
      const own = a.expression ?? a.path;
      const expected = evaluate(source, expr);
      checks.push({
        check: `${own ?? expr} ${op} ${a.compareToSourceId}:${expr} (${shown(expected)})`,
        actual: evaluate(body, own ? substitute(own, state) : expr),
        expected: expected.join(','),
        operator: op,
      });
    }
  } else if (a.expression !== undefined) {
    const expr = substitute(a.expression, state);
    const op = operatorOf(a, value === undefined ? 'eval' : 'equals');
    checks.push({
      check: `${expr} ${op}${value === undefined ? '' : ` ${value}`}`,
      actual: evaluateFhirPath(body, expr).map(valueText),
      expected: value,
      operator: op,
    });
  } else if (a.path !== undefined) {
    const path = substitute(a.path, state);
    const op = operatorOf(a, value === undefined ? 'notEmpty' : 'equals');
    checks.push({
      check: `${path} ${op}${value === undefined ? '' : ` ${value}`}`,
      actual: evaluateJsonPath(body, path).map(valueText),
      expected: value,
      operator: op,
    });
  }
  if (a.responseBody !== undefined) {
    const op = operatorOf(a, 'matchesRegex');
    checks.push({
      check: `body ${op} /${a.responseBody}/`,
      actual: response ? [response.text] : [],
      expected: a.responseBody,
      operator: op,
    });
  }
  if (a.requestMethod !== undefined) {
    const op = operatorOf(a, 'equals');
    checks.push({
      check: `requestMethod ${op} ${a.requestMethod}`,
      actual: exchange ? [exchange.request.method.toLowerCase()] : [],
      expected: a.requestMethod.toLowerCase(),
      operator: op,
    });
  }
  if (a.requestURL !== undefined) {
    const op = operatorOf(a, 'equals');
    checks.push({
      check: `requestURL ${op} ${a.requestURL}`,
      actual: exchange ? [exchange.request.url] : [],
      expected: substitute(a.requestURL, state),
      operator: op,
    });
  }
  return checks;
}

/** Extra checks that are not operator comparisons: minimumId and navigationLinks. */
function structuralFailures(
  a: Assert,
  state: RunState,
  body: unknown,
): { check: string; failure?: string }[] {
  const out: { check: string; failure?: string }[] = [];
  if (a.minimumId !== undefined) {
    const missing = minimumMissing(substituteDeep(fixtureBody(state, a.minimumId), state), body);
    out.push({ check: `minimumId ${a.minimumId}`, ...(missing ? { failure: `missing ${missing}` } : {}) });
  }
  if (a.navigationLinks !== undefined) {
    const links = (body as { link?: { relation?: string; url?: string }[] } | undefined)?.link ?? [];
    const hasSelf = links.some((l) => l.relation === 'self' && typeof l.url === 'string');
    const ok = hasSelf === a.navigationLinks;
    out.push({
      check: `navigationLinks ${a.navigationLinks}`,
      ...(ok ? {} : { failure: `self link ${hasSelf ? 'present' : 'absent'}` }),
    });
  }
  return out;
}

/** Short description of an exchange for failure messages. */
export function describeExchange(exchange: Exchange | undefined): string | undefined {
  if (!exchange) return undefined;
  const text = exchange.response.text.replace(/\s+/g, ' ');
  const snippet = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return `${exchange.request.method} ${exchange.request.url} → ${exchange.response.status}${snippet ? ` ${snippet}` : ''}`;
}

/**
 * Evaluates one assert against the last response (or its `sourceId` fixture). An element the
 * runner cannot check (`validateProfileId`, an unknown operator) fails with a message that says
 * so instead of passing silently.
 */
export function evaluateAssert(a: Assert, state: RunState): AssertResult {
  const sourceFixture = a.sourceId ? state.fixtures.get(a.sourceId) : undefined;
  const exchange = a.sourceId ? sourceFixture?.exchange : state.last;
  const warningOnly = a.warningOnly ?? false;
  const base = {
    label: a.label ?? a.description ?? '(unlabelled assert)',
    warningOnly,
    exchange: describeExchange(exchange),
  };
  try {
    if (a.sourceId) getFixture(state, a.sourceId);
    const body = a.sourceId
      ? fixtureBody(state, a.sourceId)
      : a.direction === 'request'
        ? parseRequestBody(exchange)
        : exchange?.response.body;
    const checks = checksFor(a, state, exchange, body);
    const structural = structuralFailures(a, state, body);
    if (checks.length === 0 && structural.length === 0) {
      return { ...base, passed: false, check: '(nothing)', message: 'The assert names nothing to check' };
    }
    for (const c of checks) {
      if (!compare(c.operator, c.actual, c.expected)) {
        return { ...base, passed: false, check: c.check, actual: shown(c.actual) };
      }
    }
    for (const s of structural) {
      if (s.failure) return { ...base, passed: false, check: s.check, actual: s.failure };
    }
    return {
      ...base,
      passed: true,
      check: [...checks.map((c) => c.check), ...structural.map((s) => s.check)].join('; '),
    };
  } catch (err) {
    return { ...base, passed: false, check: '(not evaluated)', message: (err as Error).message };
  }
}

function parseRequestBody(exchange: Exchange | undefined): unknown {
  if (!exchange?.request.body) return undefined;
  try {
    return JSON.parse(exchange.request.body);
  } catch {
    return undefined;
  }
}
