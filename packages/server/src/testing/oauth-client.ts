import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** One response as the browser-like test client sees it. */
export interface WebResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  json: Record<string, unknown>;
  /** The path and query of a `Location` header (redirects within the server). */
  location?: URL;
}

/**
 * A browser and an app in one, for driving the OAuth flows through `inject`: keeps cookies
 * (every cookie is sent back, which is what a browser does for these paths), posts forms,
 * follows redirects on request, and makes PKCE pairs.
 */
export class OAuthTestClient {
  private cookies = new Map<string, string>();

  constructor(private readonly app: FastifyInstance) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<WebResponse> {
    return this.send('GET', url, undefined, headers);
  }

  /** POSTs an `application/x-www-form-urlencoded` body. */
  async postForm(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<WebResponse> {
    return this.send('POST', url, new URLSearchParams(form).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /** Follows same-server redirects until a page, an error, or a redirect elsewhere (the app's redirect URI). */
  async follow(res: WebResponse, serverOrigin: string): Promise<WebResponse> {
    let current = res;
    for (let i = 0; i < 10 && current.status >= 300 && current.status < 400 && current.location; i++) {
      if (current.location.origin !== serverOrigin) return current;
      current = await this.get(current.location.pathname + current.location.search);
    }
    return current;
  }

  private async send(
    method: 'GET' | 'POST',
    url: string,
    payload: string | undefined,
    headers: Record<string, string>,
  ): Promise<WebResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({
      method,
      url,
      headers: { ...(cookie ? { cookie } : {}), ...headers },
      ...(payload === undefined ? {} : { payload }),
    });
    const setCookie = res.headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const headersOut: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(res.headers))
      headersOut[k] = Array.isArray(v) ? v.join(', ') : v?.toString();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      // not JSON (a page)
    }
    const location = headersOut.location ? new URL(headersOut.location, 'http://localhost') : undefined;
    return {
      status: res.statusCode,
      headers: headersOut,
      text: res.body,
      json,
      ...(location ? { location } : {}),
    };
  }
}

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `Basic …` for client_secret_basic. */
export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
