import { FhirError } from './fhir-error';
import type { Bundle, Resource } from './fhir-types';

/** Where the FHIR API lives: the same origin as the app (the server serves both). */
export const fhirBase = '/fhir';

/**
 * The app's one way to the FHIR API: every call carries the bearer token, JSON in and out, and
 * every failure becomes a `FhirError` with the server's OperationOutcome in words. No private API:
 * the screens use the same endpoints and operations a third-party app would.
 */
export class FhirClient {
  constructor(
    /** The current access token (it changes when the session refreshes it). */
    private readonly token: () => Promise<string>,
    /** Told when the server says the token is no longer good (401), to end the session. */
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.send<T>(method, path, body)).body;
  }

  /** Like `request`, with the HTTP status (201 created vs 200 found, for conditional creates). */
  async send<T>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {
      ...extraHeaders,
      accept: 'application/fhir+json',
      authorization: `Bearer ${await this.token()}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/fhir+json';
    let response: Response;
    try {
      response = await fetch(`${fhirBase}/${path.replace(/^\/+/, '')}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw FhirError.fromResponse(0, undefined);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      throw FhirError.fromResponse(response.status, parsed);
    }
    return { status: response.status, body: parsed as T };
  }

  read<T extends Resource>(type: string, id: string): Promise<T> {
    return this.request<T>('GET', `${type}/${encodeURIComponent(id)}`);
  }

  /** A type search; `params` as the FHIR query (repeated keys allowed). */
  search<T extends Resource>(type: string, params: Record<string, string | string[]>): Promise<Bundle<T>> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) query.append(k, one);
    return this.request<Bundle<T>>('GET', `${type}?${query}`);
  }

  create<T extends Resource>(resource: T): Promise<T> {
    return this.request<T>('POST', resource.resourceType, resource);
  }

  /**
   * Creates `resource` unless one matches `query` (FHIR conditional create): `created` false
   * means the server found a match and returned it instead.
   */
  async createIfNoneExist<T extends Resource>(
    resource: T,
    query: string,
  ): Promise<{ created: boolean; resource: T }> {
    const result = await this.send<T>('POST', resource.resourceType, resource, {
      'if-none-exist': query,
      prefer: 'return=representation',
    });
    return { created: result.status === 201, resource: result.body };
  }

  /**
   * Opens a server-sent-events stream under the FHIR base with fetch streaming (EventSource
   * cannot send the bearer token); the text arrives chunk by chunk until `signal` aborts.
   */
  async stream(path: string, signal: AbortSignal): Promise<ReadableStreamDefaultReader<string>> {
    const response = await fetch(`${fhirBase}/${path.replace(/^\/+/, '')}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${await this.token()}` },
      signal,
    });
    if (!response.ok || !response.body) {
      if (response.status === 401) this.onUnauthorized();
      let parsed: unknown;
      try {
        parsed = await response.json();
      } catch {
        parsed = undefined;
      }
      throw FhirError.fromResponse(response.status, parsed);
    }
    return response.body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** A type-level operation (`Patient/$match`) called with a Parameters body. */
  operation<T>(type: string, name: string, parameters: Resource): Promise<T> {
    return this.request<T>('POST', `${type}/$${name}`, parameters);
  }
}

/** The resources of a searchset, matches only (includes and outcomes dropped). */
export function matches<T extends Resource>(bundle: Bundle<T>): T[] {
  return (bundle.entry ?? [])
    .filter((e) => e.search?.mode !== 'include' && e.search?.mode !== 'outcome' && e.resource)
    .map((e) => e.resource as T);
}
