import { Pool } from 'undici';

/**
 * HTTP/1.1 keep-alive connections to the server (undici Pool, no pipelining: one request per
 * connection at a time, as a browser or an integration engine sends them), with the auth
 * session's `Authorization` header on every request and a retry after one 401.
 */
export class FhirClient {
  constructor(origin, auth, connections) {
    this.origin = origin;
    this.auth = auth;
    this.pool = new Pool(origin, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 300_000,
      bodyTimeout: 300_000,
    });
  }

  /**
   * Sends one request to `/fhir/<path>` and reads the whole response. Returns the status, the
   * headers, the body as text and the time from sending to the last byte, in ms.
   */
  async request(method, path, { body, headers = {} } = {}) {
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.auth.header();
      const all = { accept: 'application/fhir+json', ...headers };
      if (authorization) all.authorization = authorization;
      if (body !== undefined) all['content-type'] = 'application/fhir+json';
      const started = performance.now();
      const res = await this.pool.request({ method, path: `/fhir/${path}`, headers: all, body });
      const text = await res.body.text();
      const ms = performance.now() - started;
      if (res.statusCode === 401 && attempt === 0 && authorization && this.auth.invalidate) {
        await this.auth.invalidate(authorization);
        continue;
      }
      return { status: res.statusCode, headers: res.headers, text, ms };
    }
  }

  close() {
    return this.pool.close();
  }
}

/** The OperationOutcome diagnostics of an error body, shortened, for the report. */
export function describeFailure(res) {
  try {
    const body = JSON.parse(res.text);
    const issue = body.issue?.[0];
    const what = issue?.diagnostics ?? issue?.details?.text ?? res.text;
    return `${res.status} ${String(what).slice(0, 300)}`;
  } catch {
    return `${res.status} ${res.text.slice(0, 300)}`;
  }
}

/**
 * Runs `clients` concurrent loops for `seconds`: each calls `step(clientIndex)` again as soon as
 * the previous call finished (a closed loop, like the peers' virtual users). Returns the
 * measured wall time in seconds.
 */
export async function runClosedLoop(clients, seconds, step) {
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (performance.now() < until) await step(i);
    }),
  );
  return (performance.now() - started) / 1000;
}
