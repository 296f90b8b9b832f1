import type { Action, TestScript } from '../script/types.js';
import { type AssertResult, evaluateAssert } from './assert.js';
import { loadFixtures } from './fixtures.js';
import type { HttpClient } from './http.js';
import { type OperationResult, performOperation } from './operation.js';
import { RunState } from './state.js';

export interface TestResult {
  name: string;
  passed: boolean;
  asserts: AssertResult[];
  operations: OperationResult[];
}

export interface ScriptResult {
  name: string;
  passed: boolean;
  /** Why setup failed (then no test ran), if it did. */
  setupFailure?: string;
  tests: TestResult[];
  /** Teardown and autodelete problems: reported, but they do not fail the script. */
  teardownProblems: string[];
}

interface Outcome {
  asserts: AssertResult[];
  operations: OperationResult[];
}

async function runActions(actions: readonly Action[], state: RunState, client: HttpClient): Promise<Outcome> {
  const out: Outcome = { asserts: [], operations: [] };
  for (const action of actions) {
    if (action.operation) out.operations.push(await performOperation(action.operation, state, client));
    else if (action.assert) out.asserts.push(evaluateAssert(action.assert, state));
  }
  return out;
}

/** The first thing that makes an outcome fail: an operation error or a non-warning assert. */
function firstFailure(outcome: Outcome): string | undefined {
  const op = outcome.operations.find((o) => o.error);
  if (op) return `${op.label}: ${op.error}`;
  const a = outcome.asserts.find((r) => !r.passed && !r.warningOnly);
  if (a)
    return `${a.label}: ${a.check}, actual ${a.actual ?? a.message ?? '?'}${a.exchange ? ` [${a.exchange}]` : ''}`;
  return undefined;
}

export interface RunScriptOptions {
  /** The FHIR base URL, without a trailing slash. */
  base: string;
  client: HttpClient;
  /** The script's file, for fixtures given as relative paths. */
  path: string;
}

/**
 * Runs one TestScript: fixtures (autocreate), setup, each test, teardown, autodelete. A failed
 * setup fails every test without running it; teardown always runs. A test passes when none of
 * its operations errored and all of its non-warning asserts passed.
 */
export async function runScript(script: TestScript, options: RunScriptOptions): Promise<ScriptResult> {
  const name = script.name ?? script.id ?? options.path;
  const state = new RunState(options.base, script.variable);
  const tests: TestResult[] = [];
  const teardownProblems: string[] = [];
  let setupFailure: string | undefined;

  try {
    loadFixtures(script, options.path, state);
  } catch (err) {
    setupFailure = `fixtures: ${(err as Error).message}`;
  }
  for (const fixture of setupFailure ? [] : script.fixture.filter((f) => f.autocreate)) {
    const op = await performOperation(
      { type: { code: 'create' }, sourceId: fixture.id },
      state,
      options.client,
    );
    const status = state.last?.response.status ?? 0;
    if (op.error || status < 200 || status >= 300) {
      setupFailure = `autocreate '${fixture.id}': ${op.error ?? op.summary}`;
      break;
    }
  }
  if (!setupFailure) setupFailure = firstFailure(await runActions(script.setup, state, options.client));

  for (const [i, test] of script.test.entries()) {
    const testName = test.name ?? test.id ?? `test ${i + 1}`;
    if (setupFailure) {
      tests.push({ name: testName, passed: false, asserts: [], operations: [] });
      continue;
    }
    const outcome = await runActions(test.action, state, options.client);
    tests.push({ name: testName, passed: firstFailure(outcome) === undefined, ...outcome });
  }

  const teardown = await runActions(script.teardown, state, options.client);
  for (const op of teardown.operations) if (op.error) teardownProblems.push(`${op.label}: ${op.error}`);
  // Reverse declaration order: resources that reference earlier fixtures go first.
  for (const fixture of [...state.fixtures.values()].reverse()) {
    if (!fixture.autodelete || !fixture.created) continue;
    const { type, id } = fixture.created;
    const op = await performOperation(
      { type: { code: 'delete' }, url: `${type}/${id}` },
      state,
      options.client,
    );
    const status = state.last?.response.status ?? 0;
    if (op.error || status >= 300)
      teardownProblems.push(`autodelete '${fixture.id}': ${op.error ?? op.summary}`);
  }

  const passed = !setupFailure && tests.every((t) => t.passed);
  return { name, passed, ...(setupFailure ? { setupFailure } : {}), tests, teardownProblems };
}

/** Why a test failed, for reports: the first failing operation or assert. */
export function testFailure(test: TestResult): string | undefined {
  return firstFailure(test);
}
