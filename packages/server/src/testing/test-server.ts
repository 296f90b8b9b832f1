import { createRepository, type Repository, testDatabases } from '@hospitium/db';
import type { Bundle, OperationOutcome, Resource } from '@hospitium/fhir';
import type { FastifyInstance } from 'fastify';
import { createTestAuthority, type TestAuthority } from '../auth/tokens/test-authority.js';
import { type AppOptions, createApp } from '../http/app.js';
import { bedBoardListener } from '../modules/adt/live/notify.js';

/** The public base every test server claims. */
export const testBaseUrl = 'http://test.hospitium/fhir';

/** One response as a test sees it: status, lower-cased headers, parsed JSON body (if any). */
export interface FhirResult {
  status: number;
  headers: Record<string, string | undefined>;
  /** The raw body text. */
  text: string;
  /** The parsed body (undefined for an empty body). */
  body: Resource | undefined;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A JSON value to send (as application/fhir+json unless headers say otherwise). */
  json?: unknown;
  /** A raw body to send as is. */
  raw?: string | Buffer;
  /**
   * The bearer token to send: by default the server's full-access test token (`system/*.*`);
   * `null` sends none. An `authorization` header in `headers` wins over both.
   */
  token?: string | null;
}

/** A Hospitium app on a fresh database, driven with `inject` (no socket). */
export class TestServer {
  constructor(
    readonly app: FastifyInstance,
    readonly repository: Repository,
    private readonly closeDatabase: () => Promise<void>,
    /** Mints tokens the server accepts (`authority.token('patient/*.rs', { patient })`). */
    readonly authority: TestAuthority,
    /** The default token: a backend client with `system/*.*`. */
    readonly systemToken: string,
  ) {}

  /** Sends a request to `/fhir/<path>` (or `path` itself when it starts with `/`). */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<FhirResult> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.systemToken : options.token;
    if (token !== null && !Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.authorization = `Bearer ${token}`;
    }
    let payload: string | Buffer | undefined = options.raw;
    if (options.json !== undefined) {
      payload = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/fhir+json';
    }
    const url = path.startsWith('/') ? path : `/fhir/${path}`;
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const responseHeaders: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(res.headers))
      responseHeaders[k] = Array.isArray(v) ? v.join(', ') : v?.toString();
    return {
      status: res.statusCode,
      headers: responseHeaders,
      text: res.body,
      body: res.body === '' ? undefined : (JSON.parse(res.body) as Resource),
    };
  }

  get(path: string, headers?: Record<string, string>): Promise<FhirResult> {
    return this.request('GET', path, { headers });
  }
  post(path: string, json: unknown, headers?: Record<string, string>): Promise<FhirResult> {
    return this.request('POST', path, { json, headers });
  }
  put(path: string, json: unknown, headers?: Record<string, string>): Promise<FhirResult> {
    return this.request('PUT', path, { json, headers });
  }
  patch(path: string, operations: unknown, headers?: Record<string, string>): Promise<FhirResult> {
    return this.request('PATCH', path, {
      json: operations,
      headers: { 'content-type': 'application/json-patch+json', ...headers },
    });
  }
  delete(path: string, headers?: Record<string, string>): Promise<FhirResult> {
    return this.request('DELETE', path, { headers });
  }

  /** Creates a resource through the API and returns it as stored (fails the test otherwise). */
  async create<T extends Resource>(resource: T): Promise<T> {
    const res = await this.post(resource.resourceType, resource);
    if (res.status !== 201) throw new Error(`create ${resource.resourceType} → ${res.status}: ${res.text}`);
    return res.body as T;
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.closeDatabase();
  }
}

/**
 * A TestServer around `createApp(options)` with a fresh test token authority (the app checks
 * bearer tokens exactly as in production; requests carry a `system/*.*` token by default).
 */
export async function startTestApp(
  options: Omit<AppOptions, 'auth'>,
  close: () => Promise<void>,
): Promise<TestServer> {
  const authority = await createTestAuthority(options.config.baseUrl);
  const app = createApp({ ready: async () => true, ...options, auth: authority });
  await app.ready();
  return new TestServer(app, options.repository, close, authority, await authority.token('system/*.*'));
}

/**
 * One entry per database engine (PGlite always, PostgreSQL when HOSPITIUM_TEST_DATABASE_URL is
 * set), for `describe.each(testServers())('… on $name', ({ start }) => …)`.
 */
export function testServers(): { name: string; start: () => Promise<TestServer> }[] {
  return testDatabases().map((database) => ({
    name: database.name,
    async start() {
      const db = await database.open();
      const repository = createRepository(db, { onChange: bedBoardListener });
      return startTestApp({ repository, database: db, config: { baseUrl: testBaseUrl } }, () => db.close());
    },
  }));
}

/** The body as a Bundle / OperationOutcome (tests assert the type first). */
export const asBundle = (r: FhirResult): Bundle => r.body as Bundle;
export const asOutcome = (r: FhirResult): OperationOutcome => r.body as OperationOutcome;

/** Every issue text of an OperationOutcome body, joined (for `toContain`). */
export function outcomeText(r: FhirResult): string {
  const outcome = asOutcome(r);
  if (outcome?.resourceType !== 'OperationOutcome') throw new Error(`not an OperationOutcome: ${r.text}`);
  return outcome.issue.map((i) => i.details?.text ?? i.diagnostics ?? '').join(' | ');
}
