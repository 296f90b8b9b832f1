import { type ClientRegistration, type ClientStore, toClientMetadata } from './client-store.js';

/** The client id of the clinician web app served at `/` (a public client: no secret in a browser). */
export const webAppClientId = 'hospitium-web';
/** Where the app receives the authorization code, and where it lands after signing out. */
export const webAppPaths = { signedIn: '/signed-in', signedOut: '/signed-out' } as const;
/** What the app may ask for: who the user is, and the user's own access (scope AND role policy). */
export const webAppScope = 'openid fhirUser profile online_access user/*.cruds';

/**
 * The origins the app is reached at: the public base URL's, and on a developer's machine both
 * `localhost` and `127.0.0.1` (browsers treat them as different origins, people type either).
 */
export function webAppOrigins(fhirBaseUrl: string): string[] {
  const base = new URL(fhirBaseUrl);
  const origins = [base.origin];
  const twin = base.hostname === 'localhost' ? '127.0.0.1' : base.hostname === '127.0.0.1' ? 'localhost' : '';
  if (twin) {
    const other = new URL(base.origin);
    other.hostname = twin;
    origins.push(other.origin);
  }
  return origins;
}

/** The web app's registration for a server at `fhirBaseUrl`. */
export function webAppRegistration(fhirBaseUrl: string): ClientRegistration {
  const origins = webAppOrigins(fhirBaseUrl);
  return {
    clientId: webAppClientId,
    name: 'Hospitium',
    redirectUris: origins.map((o) => `${o}${webAppPaths.signedIn}`),
    postLogoutRedirectUris: origins.map((o) => `${o}${webAppPaths.signedOut}`),
    scope: webAppScope,
    grantTypes: ['authorization_code', 'refresh_token'],
  };
}

/**
 * Registers (or brings up to date) the web app's client at every start, so that the app works
 * on a fresh database and after the public URL changes. Idempotent: an identical registration is
 * left alone.
 */
export async function registerWebAppClient(
  clients: ClientStore,
  fhirBaseUrl: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  const registration = webAppRegistration(fhirBaseUrl);
  const existing = await clients.find(webAppClientId);
  if (existing) {
    const wanted = await toClientMetadata(registration);
    if (JSON.stringify(sorted(existing)) === JSON.stringify(sorted(wanted))) return 'unchanged';
  }
  await clients.save(registration);
  return existing ? 'updated' : 'created';
}

function sorted(value: Record<string, unknown>): [string, unknown][] {
  return Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
}
