import type { HttpClient, ReceivedResponse, SentRequest } from '../run/http.js';

/** A recorded answer for a fake server: matched by method and a URL test. */
export interface Route {
  method: string;
  url: string | RegExp;
  respond: (request: SentRequest) => Partial<ReceivedResponse> & { status: number };
}

/**
 * A tiny in-memory FHIR server for runner tests: answers from a list of routes (first match)
 * and records every request. Unmatched requests get a 404 OperationOutcome.
 */
export function fakeServer(routes: Route[]): { client: HttpClient; requests: SentRequest[] } {
  const requests: SentRequest[] = [];
  const client: HttpClient = async (request) => {
    requests.push(request);
    const route = routes.find(
      (r) =>
        r.method === request.method &&
        (typeof r.url === 'string' ? r.url === request.url : r.url.test(request.url)),
    );
    const answer = route?.respond(request) ?? {
      status: 404,
      body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] },
    };
    const body = answer.body;
    const text = answer.text ?? (body === undefined ? '' : JSON.stringify(body));
    return {
      status: answer.status,
      headers: { 'content-type': 'application/fhir+json; charset=utf-8', ...answer.headers },
      text,
      body,
    };
  };
  return { client, requests };
}
