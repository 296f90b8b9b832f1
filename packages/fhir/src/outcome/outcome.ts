import type { Resource } from '../types.js';

/** FHIR issue-severity and issue-type codes (http://hl7.org/fhir/issue-type). */
export type IssueSeverity = 'fatal' | 'error' | 'warning' | 'information';
export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'processing'
  | 'not-supported'
  | 'duplicate'
  | 'multiple-matches'
  | 'not-found'
  | 'deleted'
  | 'too-long'
  | 'code-invalid'
  | 'conflict'
  | 'exception'
  | 'timeout'
  | 'too-costly'
  | 'business-rule'
  | 'lock-error'
  | 'throttled'
  | 'informational';

export interface OperationOutcomeIssue {
  severity: IssueSeverity;
  code: IssueCode;
  diagnostics?: string;
  details?: { text?: string };
  /** FHIRPath of the element at fault, e.g. `Patient.birthDate`. */
  expression?: string[];
}

export interface OperationOutcome extends Resource {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

/** The one error type thrown by Hospitium code. `status` is the HTTP status it maps to. */
export class OperationOutcomeError extends Error {
  readonly outcome: OperationOutcome;
  readonly status: number;

  constructor(outcome: OperationOutcome, options?: { status?: number; cause?: unknown }) {
    super(outcome.issue.map((i) => i.details?.text ?? i.diagnostics ?? i.code).join('; '), {
      cause: options?.cause,
    });
    this.name = 'OperationOutcomeError';
    this.outcome = outcome;
    this.status = options?.status ?? statusForOutcome(outcome);
  }
}

export function isOperationOutcomeError(err: unknown): err is OperationOutcomeError {
  return err instanceof OperationOutcomeError;
}

export function operationOutcome(issues: OperationOutcomeIssue[], id?: string): OperationOutcome {
  return id
    ? { resourceType: 'OperationOutcome', id, issue: issues }
    : { resourceType: 'OperationOutcome', issue: issues };
}

function issue(
  severity: IssueSeverity,
  code: IssueCode,
  text: string,
  expression?: string,
): OperationOutcomeIssue {
  const result: OperationOutcomeIssue = { severity, code, details: { text } };
  if (expression) result.expression = [expression];
  return result;
}

/** The HTTP status that best represents an outcome, from its first error issue. */
export function statusForOutcome(outcome: OperationOutcome): number {
  const first = outcome.issue.find((i) => i.severity === 'error' || i.severity === 'fatal');
  if (!first) return 200;
  switch (first.code) {
    case 'not-found':
      return 404;
    case 'deleted':
      return 410;
    case 'conflict':
    case 'duplicate':
      return 409;
    case 'multiple-matches':
      return 412;
    case 'lock-error':
      return 412;
    case 'login':
      return 401;
    case 'security':
    case 'forbidden':
      return 403;
    case 'not-supported':
      return 405;
    case 'too-long':
      return 413;
    case 'timeout':
      return 504;
    case 'throttled':
      return 429;
    case 'exception':
      return 500;
    case 'processing':
    case 'business-rule':
    case 'invariant':
      return 422;
    default:
      return 400;
  }
}

export const allOk: OperationOutcome = operationOutcome([
  { severity: 'information', code: 'informational', details: { text: 'All OK' } },
]);

/** 400: the request itself is malformed. */
export function badRequest(text: string, expression?: string): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'invalid', text, expression)]), {
    status: 400,
  });
}

/** 400 with several issues, e.g. from validation. */
export function invalidResource(issues: OperationOutcomeIssue[], status = 400): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome(issues), { status });
}

/** 422: well-formed but breaks a rule (profile, business rule). */
export function unprocessable(text: string, expression?: string): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'processing', text, expression)]), {
    status: 422,
  });
}

export function notFound(text = 'Not found'): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'not-found', text)]), { status: 404 });
}

export function gone(text = 'Deleted'): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'deleted', text)]), { status: 410 });
}

export function conflict(text: string): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'conflict', text)]), { status: 409 });
}

/** 412: If-Match did not match, or a conditional operation matched several resources. */
export function preconditionFailed(text: string): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'conflict', text)]), { status: 412 });
}

export function multipleMatches(text: string): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'multiple-matches', text)]), {
    status: 412,
  });
}

export function forbidden(text = 'Forbidden'): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'forbidden', text)]), { status: 403 });
}

export function unauthorized(text = 'Authentication required'): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'login', text)]), { status: 401 });
}

export function notSupported(text: string, status = 405): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'not-supported', text)]), { status });
}

export function payloadTooLarge(text: string): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'too-long', text)]), { status: 413 });
}

export function timeout(text: string): OperationOutcomeError {
  return new OperationOutcomeError(operationOutcome([issue('error', 'timeout', text)]), { status: 504 });
}

export function serverError(err: unknown): OperationOutcomeError {
  return new OperationOutcomeError(
    operationOutcome([issue('error', 'exception', 'Internal server error; the request was not completed')]),
    { status: 500, cause: err },
  );
}

/** Any thrown value as an OperationOutcomeError (unknown errors become a 500 without leaking details). */
export function toOperationOutcomeError(err: unknown): OperationOutcomeError {
  return isOperationOutcomeError(err) ? err : serverError(err);
}
