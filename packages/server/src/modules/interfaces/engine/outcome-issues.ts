import { isOperationOutcomeError, type OperationOutcomeIssue } from '@hospitium/fhir';
import { type ErrorCode, type ErrorLocation, type Hl7Issue, parseLocation } from '@hospitium/hl7v2';

/** FHIR issue types → HL7 table 0357 error codes. */
const codeForIssue: Record<string, ErrorCode> = {
  required: '101',
  value: '102',
  invalid: '102',
  structure: '102',
  invariant: '102',
  'code-invalid': '103',
  'too-long': '104',
  'not-supported': '200',
  'not-found': '204',
  'multiple-matches': '205',
  duplicate: '205',
  conflict: '205',
  'lock-error': '206',
};

/**
 * Turns a failure while applying a message into ERR-ready issues: the v2 location comes from the
 * issue's expression when the mapper set one (`PID-3`), or from the bundle entry the FHIR
 * processing named (`Bundle.entry[2]` → the segment that entry came from). Anything that is not
 * an OperationOutcomeError is an application internal error (207) whose details stay in the log.
 */
export function issuesForFailure(err: unknown, sources: ErrorLocation[]): Hl7Issue[] {
  if (!isOperationOutcomeError(err) || err.status >= 500) {
    return [{ code: '207', severity: 'E', text: 'Application internal error while applying the message' }];
  }
  return err.outcome.issue
    .filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => toIssue(i, sources));
}

function toIssue(issue: OperationOutcomeIssue, sources: ErrorLocation[]): Hl7Issue {
  const text = issue.details?.text ?? issue.diagnostics ?? issue.code;
  const expressions = issue.expression ?? [];
  let location: ErrorLocation | undefined;
  for (const e of expressions) location ??= parseLocation(e);
  if (!location) {
    const entry = /Bundle\.entry\[(\d+)\]/.exec(`${expressions.join(' ')} ${text}`);
    if (entry) location = sources[Number(entry[1])];
  }
  return { code: codeForIssue[issue.code] ?? '207', severity: 'E', location, text };
}
