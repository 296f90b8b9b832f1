import type { IssueCode, OperationOutcomeIssue } from '../outcome/outcome.js';

/** Collects the issues of one validation run. */
export type Issues = OperationOutcomeIssue[];

/** Adds an error issue whose `expression` points at the element(s) at fault. */
export function addError(issues: Issues, code: IssueCode, text: string, ...expression: string[]): void {
  const issue: OperationOutcomeIssue = { severity: 'error', code, details: { text } };
  if (expression.length > 0) issue.expression = expression;
  issues.push(issue);
}

/** A short description of a JSON value for messages: `"abc"`, `42`, `an object`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return Object.keys(value).length === 0 ? 'an empty object' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** Plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
