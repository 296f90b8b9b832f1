import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDatabases } from '@hospitium/db';
import smart from 'fhirclient';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OAuthFixture, staffPassword, startOAuthFixture } from '../../testing/oauth-fixture.js';

/** What the app saw after `ready()`: the outcome of each call it made with the library's client. */
interface AppReport {
  patient?: string;
  scope?: string;
  requested?: { resourceType?: string; id?: string };
  patientRead?: { resourceType?: string; id?: string };
  observations?: number;
  otherPatient?: { refused: boolean; status?: number };
  error?: string;
}

/** A port nobody listens on now, so the FHIR base (the tokens' audience) can name it before the server starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** `fhirclient`'s server storage: the app's session, shared between its launch and callback requests. */
function sessionStorage() {
  const session = new Map<string, unknown>();
  return {
    get: async (key: string) => session.get(key),
    set: async (key: string, value: unknown) => {
      session.set(key, value);
      return value;
    },
    unset: async (key: string) => session.delete(key),
  };
}

/** A browser: follows nothing by itself, keeps cookies per origin, submits forms. */
class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  async get(url: string): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows redirects (any origin) until a page; returns it with its final URL. */
  async follow(first: Response, from: string): Promise<{ res: Response; url: string }> {
    let res = first;
    let url = from;
    for (let i = 0; i < 15 && res.status >= 300 && res.status < 400; i++) {
      url = new URL(res.headers.get('location') ?? '', url).href;
      res = await this.get(url);
    }
    return { res, url };
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    const origin = new URL(url).origin;
    const cookies = this.jar.get(origin) ?? new Map<string, string>();
    this.jar.set(origin, cookies);
    const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return res;
  }
}

/**
 * The SMART reference client library (`fhirclient`, Node adapter) completes a standalone launch
 * against Hospitium over real HTTP: discovery, PKCE S256, sign-in and consent pages, patient
 * picker, code exchange, then FHIR calls limited to the chosen patient's compartment.
 */
describe.each(testDatabases())('fhirclient standalone launch on $name', ({ open }) => {
  let f: OAuthFixture;
  let fhirBase: string;
  let appServer: Server;
  let appOrigin: string;
  const storage = sessionStorage();
  let report: AppReport = {};
  let authorizeUrl: URL | undefined;

  async function appHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', appOrigin).pathname;
    if (path === '/launch') {
      await smart(req, res, storage).authorize({
        iss: fhirBase,
        clientId: 'node-smart-app',
        scope: 'openid fhirUser launch/patient patient/*.rs',
        redirectUri: '/callback',
        pkceMode: 'required',
      });
      return;
    }
    if (path === '/callback') {
      report = {};
      try {
        const client = await smart(req, res, storage).ready();
        report.patient = client.getPatientId() ?? undefined;
        report.scope = client.state.tokenResponse?.scope;
        report.requested = await client.request(`Patient/${client.getPatientId()}`);
        report.patientRead = await client.patient.read();
        const bundle = await client.patient.request<{ entry?: unknown[] }>('Observation');
        report.observations = bundle.entry?.length ?? 0;
        try {
          await client.request(`Patient/${f.otherPatientId}`);
          report.otherPatient = { refused: false };
        } catch (err) {
          report.otherPatient = { refused: true, status: (err as { status?: number }).status };
        }
      } catch (err) {
        report.error = err instanceof Error ? err.message : String(err);
      }
      res.writeHead(report.error ? 500 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(report));
      return;
    }
    res.writeHead(404).end();
  }

  beforeAll(async () => {
    const fhirPort = await freePort();
    fhirBase = `http://127.0.0.1:${fhirPort}/fhir`;
    f = await startOAuthFixture(await open(), fhirBase);
    await f.app.listen({ port: fhirPort, host: '127.0.0.1' });

    appServer = createServer((req, res) => {
      if (req.url?.startsWith('/launch')) {
        // Capture where the library sends the browser, to check what it asked for.
        const writeHead = res.writeHead.bind(res) as (status: number, headers: object) => ServerResponse;
        res.writeHead = ((status: number, headers: { location?: string }) => {
          if (headers?.location) authorizeUrl = new URL(headers.location);
          return writeHead(status, headers);
        }) as typeof res.writeHead;
      }
      appHandler(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
    appOrigin = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
    await f.auth.clients.save({
      clientId: 'node-smart-app',
      name: 'Node SMART app',
      redirectUris: [`${appOrigin}/callback`],
      scope: 'openid fhirUser launch/patient patient/*.rs',
      grantTypes: ['authorization_code'],
    });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (appServer ? appServer.close(() => resolve()) : resolve()));
    await f?.close();
  });

  it('authorize(), sign-in, patient picker, ready(): the client reads its patient and is refused another', async () => {
    const browser = new Browser();
    const launch = await browser.get(`${appOrigin}/launch`);
    expect(launch.status).toBe(302);
    expect(authorizeUrl?.href.startsWith(`${new URL(fhirBase).origin}/auth/authorize?`)).toBe(true);
    expect(authorizeUrl?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl?.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorizeUrl?.searchParams.get('aud')).toBe(fhirBase);

    const login = await browser.follow(launch, `${appOrigin}/launch`);
    expect(login.res.status).toBe(200);
    const loginPage = await login.res.text();
    expect(loginPage).toContain('<label for="username">User name</label>');
    const loginAction = /action="([^"]+\/login)"/.exec(loginPage)?.[1] ?? '';
    const afterLogin = await browser.postForm(new URL(loginAction, login.url).href, {
      username: 'dr.house',
      password: staffPassword,
    });
    expect(afterLogin.status).toBe(303);
    const consent = await browser.follow(afterLogin, login.url);
    const consentPage = await consent.res.text();
    expect(consentPage).toContain('<label for="patient">Patient id</label>');
    const confirm = /action="([^"]+\/confirm)"/.exec(consentPage)?.[1] ?? '';
    const afterConsent = await browser.postForm(new URL(confirm, consent.url).href, {
      patient: f.patientId,
    });
    const callback = await browser.follow(afterConsent, consent.url);
    expect(new URL(callback.url).pathname).toBe('/callback');
    expect(new URL(callback.url).searchParams.get('code')).toBeTruthy();

    const seen = (await callback.res.json()) as AppReport;
    expect(seen.error).toBeUndefined();
    expect(callback.res.status).toBe(200);
    expect(seen.patient).toBe(f.patientId);
    expect(seen.scope).toContain('patient/*.rs');
    expect(seen.requested).toMatchObject({ resourceType: 'Patient', id: f.patientId });
    expect(seen.patientRead).toMatchObject({ resourceType: 'Patient', id: f.patientId });
    expect(seen.observations).toBe(1);
    expect(seen.otherPatient).toEqual({ refused: true, status: 403 });
  });

  it('a wrong password keeps the browser on the sign-in page; the app gets no code', async () => {
    const browser = new Browser();
    const login = await browser.follow(await browser.get(`${appOrigin}/launch`), `${appOrigin}/launch`);
    const loginAction = /action="([^"]+\/login)"/.exec(await login.res.text())?.[1] ?? '';
    const refused = await browser.postForm(new URL(loginAction, login.url).href, {
      username: 'dr.house',
      password: 'not the right password',
    });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('The user name or password is not right.');
  });
});
