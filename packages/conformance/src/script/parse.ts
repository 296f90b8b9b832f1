import { badRequest } from '@hospitium/fhir';
import type {
  Action,
  Assert,
  Fixture,
  Operation,
  RequestHeader,
  Test,
  TestScript,
  Variable,
} from './types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Json, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(`${where}.${key} must be a string`, `${where}.${key}`);
  return v;
}

function bool(o: Json, key: string, where: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw badRequest(`${where}.${key} must be a boolean`, `${where}.${key}`);
  return v;
}

function list(o: Json, key: string, where: string): Json[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every(isObject)) {
    throw badRequest(`${where}.${key} must be an array of objects`, `${where}.${key}`);
  }
  return v;
}

/** Copies the named string properties that are present (type-checked) into a new object. */
function strings<K extends string>(o: Json, keys: readonly K[], where: string): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = str(o, k, where);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

const operationStrings = [
  'resource',
  'label',
  'description',
  'accept',
  'contentType',
  'method',
  'params',
  'requestId',
  'responseId',
  'sourceId',
  'targetId',
  'url',
] as const;

function parseOperation(o: Json, where: string): Operation {
  const op: Operation = strings(o, operationStrings, where);
  if (o.type !== undefined) {
    if (!isObject(o.type)) throw badRequest(`${where}.type must be a Coding`, `${where}.type`);
    op.type = strings(o.type, ['system', 'code'] as const, `${where}.type`);
  }
  const encode = bool(o, 'encodeRequestUrl', where);
  if (encode !== undefined) op.encodeRequestUrl = encode;
  const headers = list(o, 'requestHeader', where).map((h, i): RequestHeader => {
    const at = `${where}.requestHeader[${i}]`;
    const field = str(h, 'field', at);
    const value = str(h, 'value', at);
    if (field === undefined || value === undefined) throw badRequest(`${at} needs field and value`, at);
    return { field, value };
  });
  if (headers.length) op.requestHeader = headers;
  return op;
}

const assertStrings = [
  'label',
  'description',
  'compareToSourceId',
  'compareToSourceExpression',
  'compareToSourcePath',
  'contentType',
  'expression',
  'headerField',
  'minimumId',
  'operator',
  'path',
  'requestMethod',
  'requestURL',
  'resource',
  'response',
  'responseCode',
  'responseBody',
  'sourceId',
  'validateProfileId',
  'value',
] as const;

function parseAssert(o: Json, where: string): Assert {
  const a: Assert = strings(o, assertStrings, where);
  const direction = str(o, 'direction', where);
  if (direction !== undefined) {
    if (direction !== 'request' && direction !== 'response') {
      throw badRequest(`${where}.direction must be request or response`, `${where}.direction`);
    }
    a.direction = direction;
  }
  const nav = bool(o, 'navigationLinks', where);
  if (nav !== undefined) a.navigationLinks = nav;
  const warning = bool(o, 'warningOnly', where);
  if (warning !== undefined) a.warningOnly = warning;
  return a;
}

function parseActions(o: Json, key: string, where: string): Action[] {
  return list(o, key, where).map((a, i) => {
    const at = `${where}.${key}[${i}]`;
    const action: Action = {};
    if (isObject(a.operation)) action.operation = parseOperation(a.operation, `${at}.operation`);
    if (isObject(a.assert)) action.assert = parseAssert(a.assert, `${at}.assert`);
    if (!action.operation === !action.assert) {
      throw badRequest(`${at} must have exactly one of operation or assert`, at);
    }
    return action;
  });
}

function parseFixture(o: Json, i: number): Fixture {
  const at = `TestScript.fixture[${i}]`;
  const id = str(o, 'id', at);
  if (!id) throw badRequest(`${at} needs an id`, at);
  const fixture: Fixture = {
    id,
    autocreate: bool(o, 'autocreate', at) ?? false,
    autodelete: bool(o, 'autodelete', at) ?? false,
  };
  if (isObject(o.resource)) {
    const reference = str(o.resource, 'reference', `${at}.resource`);
    if (reference !== undefined) fixture.reference = reference;
  }
  return fixture;
}

function parseVariable(o: Json, i: number): Variable {
  const at = `TestScript.variable[${i}]`;
  const name = str(o, 'name', at);
  if (!name) throw badRequest(`${at} needs a name`, at);
  return {
    name,
    ...strings(o, ['defaultValue', 'expression', 'headerField', 'path', 'sourceId'] as const, at),
  };
}

/**
 * Reads a TestScript from parsed JSON: checks the shape of every element the runner uses and
 * throws a 400 OperationOutcomeError naming the first bad element (`TestScript.test[0].action[2]…`).
 */
export function parseTestScript(json: unknown): TestScript {
  if (!isObject(json) || json.resourceType !== 'TestScript') {
    throw badRequest('Not a TestScript (resourceType must be "TestScript")', 'TestScript');
  }
  const where = 'TestScript';
  const setup = isObject(json.setup) ? parseActions(json.setup, 'action', `${where}.setup`) : [];
  const teardown = isObject(json.teardown) ? parseActions(json.teardown, 'action', `${where}.teardown`) : [];
  const tests = list(json, 'test', where).map(
    (t, i): Test => ({
      ...strings(t, ['id', 'name', 'description'] as const, `${where}.test[${i}]`),
      action: parseActions(t, 'action', `${where}.test[${i}]`),
    }),
  );
  const contained = list(json, 'contained', where);
  return {
    resourceType: 'TestScript',
    ...strings(json, ['id', 'name', 'title'] as const, where),
    contained,
    fixture: list(json, 'fixture', where).map(parseFixture),
    variable: list(json, 'variable', where).map(parseVariable),
    setup,
    test: tests,
    teardown,
  };
}
