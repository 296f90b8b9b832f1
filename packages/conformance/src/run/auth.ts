import type { HttpClient } from './http.js';

/**
 * Sends `Authorization: Bearer <token>` with every request to the server under test (URLs on
 * the base's origin) unless the script set its own Authorization header.
 */
export function withBearerToken(client: HttpClient, token: string, base: string): HttpClient {
  const origin = new URL(base).origin;
  return (request) => {
    const ours = request.url.startsWith(`${origin}/`);
    const has = Object.keys(request.headers).some((h) => h.toLowerCase() === 'authorization');
    if (!ours || has) return client(request);
    return client({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } });
  };
}

/** Client credentials for the SMART Backend Services flow (a shared secret). */
export interface ClientCredentials {
  clientId: string;
  secret: string;
  /** Default `system/*.*`. */
  scope?: string;
}

/** Parses `--client id:secret`. */
export function parseClientOption(value: string): ClientCredentials {
  const at = value.indexOf(':');
  if (at <= 0 || at === value.length - 1) throw new Error('--client must be <client id>:<secret>');
  return { clientId: value.slice(0, at), secret: value.slice(at + 1) };
}

/**
 * Gets an access token with `grant_type=client_credentials`: the token endpoint comes from the
 * server's SMART configuration (`{base}/.well-known/smart-configuration`), the client
 * authenticates with HTTP Basic (client_secret_basic). Throws naming what failed.
 */
export async function clientCredentialsToken(
  base: string,
  credentials: ClientCredentials,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const discoveryUrl = `${base.replace(/\/+$/, '')}/.well-known/smart-configuration`;
  const discovery = await fetchImpl(discoveryUrl, { headers: { accept: 'application/json' } });
  if (!discovery.ok) throw new Error(`SMART configuration ${discoveryUrl} answered ${discovery.status}`);
  const config = (await discovery.json()) as { token_endpoint?: unknown };
  if (typeof config.token_endpoint !== 'string') {
    throw new Error(`SMART configuration ${discoveryUrl} names no token_endpoint`);
  }
  const basic = Buffer.from(
    `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.secret)}`,
  ).toString('base64');
  const res = await fetchImpl(config.token_endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: credentials.scope ?? 'system/*.*' }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    access_token?: unknown;
    error?: unknown;
    error_description?: unknown;
  };
  if (!res.ok || typeof body.access_token !== 'string') {
    const why = [body.error, body.error_description].filter((x) => typeof x === 'string').join(': ');
    throw new Error(
      `token request to ${config.token_endpoint} failed (${res.status}${why ? ` ${why}` : ''})`,
    );
  }
  return body.access_token;
}
