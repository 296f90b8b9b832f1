/** A signed-in user as the app shows them; the server decides what they may do. */
export interface SignedInUser {
  /** The account id (`sub`). */
  id: string;
  username: string;
  /** Display name, e.g. "Dr Ana Lopez"; the user name when the account has none. */
  name: string;
  roles: string[];
  /** `Practitioner/123` when the account is linked to a FHIR resource. */
  fhirUser?: string;
}

/** What the tab remembers of a sign-in (sessionStorage: gone when the tab closes). */
export interface StoredSession {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
  user: SignedInUser;
}

const sessionKey = 'hospitium.session';
const activityKey = 'hospitium.lastActivity';

/** Reads the stored session, or undefined when absent or unreadable. */
export function loadSession(storage: Storage = sessionStorage): StoredSession | undefined {
  try {
    const raw = storage.getItem(sessionKey);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as StoredSession;
    return typeof parsed.accessToken === 'string' && parsed.user ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: StoredSession, storage: Storage = sessionStorage): void {
  storage.setItem(sessionKey, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(sessionKey);
  storage.removeItem(activityKey);
}

/** Records that the user did something (a key, a tap), for the idle timeout. */
export function touchActivity(now = Date.now(), storage: Storage = sessionStorage): void {
  storage.setItem(activityKey, String(now));
}

/** Milliseconds since the user last did something; 0 when nothing is recorded yet. */
export function idleFor(now = Date.now(), storage: Storage = sessionStorage): number {
  const last = Number(storage.getItem(activityKey) ?? now);
  return Number.isFinite(last) ? Math.max(0, now - last) : 0;
}

/**
 * The user named by an access token and ID token. The access token is our own server's JWT:
 * its `roles` claim says which screens to offer (the server enforces them on every request).
 */
export function userFromTokens(accessToken: string, idClaims: Record<string, unknown>): SignedInUser {
  const access = decodeJwtPayload(accessToken);
  const username = str(idClaims.preferred_username) ?? str(access.sub) ?? 'unknown';
  const fhirUser = str(access.fhirUser) ?? str(idClaims.fhirUser)?.replace(/^.*\/(\w+\/[^/]+)$/, '$1');
  return {
    id: str(idClaims.sub) ?? str(access.sub) ?? '',
    username,
    name: str(idClaims.name) ?? username,
    roles: Array.isArray(access.roles) ? access.roles.filter((r): r is string => typeof r === 'string') : [],
    ...(fhirUser ? { fhirUser } : {}),
  };
}

/** The claims of a JWT, unverified (display only); `{}` when it is not a JWT. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
