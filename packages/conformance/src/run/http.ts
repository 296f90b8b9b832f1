/** One HTTP request as sent. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** One HTTP response as received: lower-cased headers, the raw text and the JSON body if any. */
export interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  body: unknown;
}

export interface Exchange {
  request: SentRequest;
  response: ReceivedResponse;
}

/** How requests reach the server; `fetch` by default, a fake in unit tests. */
export type HttpClient = (request: SentRequest) => Promise<ReceivedResponse>;

/** Requests that take longer than this fail the operation (a hung server must not hang CI). */
const requestTimeoutMs = 30_000;

/** Parses a response body as JSON when it looks like JSON; otherwise undefined. */
export function parseBody(text: string): unknown {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The default client: Node's `fetch`, no redirects followed (a 3xx is what the script asserts). */
export const fetchClient: HttpClient = async (request) => {
  const res = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return { status: res.status, headers, text, body: parseBody(text) };
};
