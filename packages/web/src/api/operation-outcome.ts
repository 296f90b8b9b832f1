/** The parts of an OperationOutcome the app reads (kept local: the web bundle imports no server code). */
export interface OutcomeIssue {
  severity?: string;
  code?: string;
  diagnostics?: string;
  details?: { text?: string };
  expression?: string[];
}

/**
 * One sentence a person can act on from an error response: the issues' own words (the server
 * writes them for people), joined, or a plain fallback by status when the body is not an outcome.
 */
export function outcomeMessage(body: unknown, status: number): string {
  const issues = isOutcome(body) ? body.issue : [];
  const texts = issues
    .filter((i) => i.severity === 'error' || i.severity === 'fatal' || issues.length === 1)
    .map((i) => i.details?.text ?? i.diagnostics)
    .filter((t): t is string => typeof t === 'string' && t.trim() !== '');
  if (texts.length > 0) return [...new Set(texts)].join(' ');
  return statusMessage(status);
}

function isOutcome(body: unknown): body is { issue: OutcomeIssue[] } {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { resourceType?: unknown }).resourceType === 'OperationOutcome' &&
    Array.isArray((body as { issue?: unknown }).issue)
  );
}

/** What a status means for the person at the screen when the server said nothing more. */
export function statusMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'Your role does not allow this.';
  if (status === 404) return 'Not found.';
  if (status === 409 || status === 412) return 'Someone else changed this record; reload and try again.';
  if (status === 0) return 'The server cannot be reached. Check the network and try again.';
  if (status >= 500)
    return `The server failed (${status}). Try again; if it persists, call the IT service desk.`;
  return `The request was refused (${status}).`;
}
