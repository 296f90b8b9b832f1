import * as oauth from 'oauth4webapi';
import { type StoredSession, userFromTokens } from './session';

/**
 * The web app as an OAuth client of the server's own authorization server: a public client
 * (no secret in a browser), authorization code with PKCE S256, registered by the server at start.
 */
export const webClient: oauth.Client = { client_id: 'hospitium-web' };
/** What the app asks for: the user's identity, and the user's own access (scope AND role policy). */
export const webScope = 'openid fhirUser profile online_access user/*.cruds';
export const signedInPath = '/signed-in';
export const signedOutPath = '/signed-out';

const pendingKey = 'hospitium.pendingSignIn';
const clientAuth = oauth.None();

function insecure(): { [oauth.allowInsecureRequests]: boolean } {
  // The demo runs on http://localhost; anywhere else the server is behind TLS.
  return { [oauth.allowInsecureRequests]: location.protocol === 'http:' };
}

let discovered: Promise<oauth.AuthorizationServer> | undefined;

/** The authorization server's metadata (OpenID discovery at `<origin>/auth`), fetched once. */
export function authorizationServer(): Promise<oauth.AuthorizationServer> {
  discovered ??= (async () => {
    const issuer = new URL('/auth', location.origin);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure() });
    return oauth.processDiscoveryResponse(issuer, response);
  })();
  discovered.catch(() => {
    discovered = undefined;
  });
  return discovered;
}

/** Sends the browser to the sign-in page; `returnTo` is where the app opens afterwards. */
export async function startSignIn(returnTo: string): Promise<void> {
  const as = await authorizationServer();
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, nonce, returnTo }));
  const url = new URL(as.authorization_endpoint ?? '/auth/authorize', location.origin);
  url.search = new URLSearchParams({
    client_id: webClient.client_id,
    redirect_uri: new URL(signedInPath, location.origin).href,
    response_type: 'code',
    scope: webScope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    aud: new URL('/fhir', location.origin).href,
  }).toString();
  location.assign(url.href);
}

/** Completes the sign-in on the redirect back: exchanges the code for tokens. */
export async function completeSignIn(currentUrl: URL): Promise<{ session: StoredSession; returnTo: string }> {
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null') as {
    verifier: string;
    state: string;
    nonce: string;
    returnTo: string;
  } | null;
  sessionStorage.removeItem(pendingKey);
  if (!pending) throw new Error('This sign-in was not started from this tab. Sign in again.');
  const as = await authorizationServer();
  const params = oauth.validateAuthResponse(as, webClient, currentUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    webClient,
    clientAuth,
    params,
    new URL(signedInPath, location.origin).href,
    pending.verifier,
    insecure(),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, webClient, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const claims = oauth.getValidatedIdTokenClaims(result) ?? {};
  return { session: toSession(result, claims as Record<string, unknown>), returnTo: pending.returnTo };
}

/** A fresh access token from the refresh token (rotated by the server). */
export async function refreshSession(session: StoredSession): Promise<StoredSession> {
  if (!session.refreshToken) throw new Error('no refresh token');
  const as = await authorizationServer();
  const response = await oauth.refreshTokenGrantRequest(
    as,
    webClient,
    clientAuth,
    session.refreshToken,
    insecure(),
  );
  const result = await oauth.processRefreshTokenResponse(as, webClient, response);
  return {
    ...session,
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? session.refreshToken,
    expiresAt: Date.now() + (result.expires_in ?? 300) * 1000,
  };
}

/**
 * Signs out: revokes the tokens (so a copied token stops working now, not at expiry), then
 * ends the authorization server's browser session (OIDC RP-initiated logout), which comes back
 * to the app's signed-out page.
 */
export async function signOut(session: StoredSession | undefined, reason: 'user' | 'idle'): Promise<void> {
  const back = new URL(signedOutPath, location.origin);
  if (reason === 'idle') back.searchParams.set('reason', 'idle');
  if (!session) {
    location.assign(back.href);
    return;
  }
  let as: oauth.AuthorizationServer | undefined;
  try {
    as = await authorizationServer();
    for (const token of [session.refreshToken, session.accessToken]) {
      if (!token) continue;
      const response = await oauth.revocationRequest(as, webClient, clientAuth, token, insecure());
      await oauth.processRevocationResponse(response).catch(() => undefined);
    }
  } catch {
    // Revocation is best effort: the session below still ends, and access tokens expire soon.
  }
  if (!as?.end_session_endpoint) {
    location.assign(back.href);
    return;
  }
  const url = new URL(as.end_session_endpoint);
  url.search = new URLSearchParams({
    client_id: webClient.client_id,
    post_logout_redirect_uri: back.href,
    ...(session.idToken ? { id_token_hint: session.idToken } : {}),
  }).toString();
  location.assign(url.href);
}

function toSession(result: oauth.TokenEndpointResponse, claims: Record<string, unknown>): StoredSession {
  return {
    accessToken: result.access_token,
    ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}),
    ...(result.id_token ? { idToken: result.id_token } : {}),
    expiresAt: Date.now() + (result.expires_in ?? 300) * 1000,
    user: userFromTokens(result.access_token, claims),
  };
}
