export { writeJsonReport } from './report/json.js';
export { formatReport, summaryRows } from './report/text.js';
export { type AssertResult, evaluateAssert, responseCodes } from './run/assert.js';
export { evaluateFhirPath } from './run/fhirpath.js';
export {
  type Exchange,
  fetchClient,
  type HttpClient,
  type ReceivedResponse,
  type SentRequest,
} from './run/http.js';
export { compare, type OperatorCode, operators } from './run/operators.js';
export { buildRequest, encodeQuery } from './run/request.js';
export { type RunScriptOptions, runScript, type ScriptResult, type TestResult } from './run/script.js';
export { RunState } from './run/state.js';
export { substitute, variableValue } from './run/variables.js';
export { discoverScripts, type ScriptFile } from './script/discover.js';
export { parseTestScript } from './script/parse.js';
export type { TestScript } from './script/types.js';
export { type RunSuitesOptions, runSuites, type ScriptReport, type SuiteReport } from './suite.js';
export {
  defaultScriptDirs,
  findPeerSuite,
  ownScriptsDir,
  peerProfiles,
  peerSuiteMissingReason,
} from './suite-dirs.js';
