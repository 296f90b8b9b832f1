import { randomBytes } from 'node:crypto';

/** Seconds before expiry at which a token is renewed, so no request carries a stale one. */
const RENEW_MARGIN_S = 30;

/**
 * The benchmark's own confidential client, created by the server at start from
 * `HOSPITIUM_BOOTSTRAP_CLIENT=<id>:<secret>` (a fresh random secret per run).
 */
export function bootstrapClient() {
  const id = 'bench';
  const secret = randomBytes(24).toString('base64url');
  return { id, secret, env: { HOSPITIUM_BOOTSTRAP_CLIENT: `${id}:${secret}` } };
}

/**
 * Asks the server how it authenticates (SMART discovery). When
 * `/fhir/.well-known/smart-configuration` answers 200, gets a `system/*.*` token from its
 * `token_endpoint` (client_credentials, client_secret_basic) and returns a session whose
 * `header()` always yields a live `Authorization` value (renewed before it expires, or when the
 * server answers 401); otherwise a session with `mode: 'off'` and no header.
 */
export async function openAuthSession(origin, client) {
  const res = await fetch(`${origin}/fhir/.well-known/smart-configuration`, {
    headers: { accept: 'application/json' },
  });
  const text = await res.text();
  if (res.status !== 200) {
    return {
      mode: 'off',
      reason: `smart-configuration answered ${res.status}`,
      header: async () => undefined,
    };
  }
  let config;
  try {
    config = JSON.parse(text);
  } catch {
    throw new Error('smart-configuration answered 200 with a body that is not JSON');
  }
  if (typeof config.token_endpoint !== 'string') {
    throw new Error('smart-configuration has no token_endpoint');
  }
  const tokenUrl = new URL(config.token_endpoint, `${origin}/fhir/`).toString();
  const basic = Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString(
    'base64',
  );

  let current; // { value, renewAt }
  let pending;
  const fetchToken = async () => {
    const r = await fetch(tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/*.*' }).toString(),
    });
    const body = await r.text();
    if (r.status !== 200) throw new Error(`token endpoint answered ${r.status}: ${body.slice(0, 500)}`);
    const token = JSON.parse(body);
    if (typeof token.access_token !== 'string') throw new Error('token response has no access_token');
    const lifetime = Number(token.expires_in) > 0 ? Number(token.expires_in) : 3600;
    current = {
      value: `${token.token_type && /^dpop$/i.test(token.token_type) ? 'DPoP' : 'Bearer'} ${token.access_token}`,
      renewAt: Date.now() + Math.max(1, lifetime - RENEW_MARGIN_S) * 1000,
    };
    return current.value;
  };
  // One renewal at a time, shared by every client that noticed the expiry.
  const renew = () => {
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  await renew();
  return {
    mode: 'on',
    tokenEndpoint: tokenUrl,
    renewals: 0,
    async header() {
      if (Date.now() >= current.renewAt) {
        this.renewals++;
        return renew();
      }
      return current.value;
    },
    /** After a 401: the token was refused (expired early, server restarted); get a new one. */
    async invalidate(refused) {
      if (current && current.value === refused) {
        this.renewals++;
        await renew();
      }
    },
  };
}
