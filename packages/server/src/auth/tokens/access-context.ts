import { parseScopes, type ResourceScope } from '../smart/scopes.js';
import type { Role } from '../users/roles.js';

/**
 * Who is asking and what they may do, established once per request from the bearer token
 * (or, for in-process work such as `hospitium import`, by the caller). Every access decision
 * reads this and nothing else.
 */
export interface AccessContext {
  /**
   * `user`: a person signed in through an app; `client`: a backend service; `internal`: the
   * server itself; `anonymous`: no token (public paths such as `metadata` only).
   */
  kind: 'user' | 'client' | 'internal' | 'anonymous';
  /** The token's subject: the user's account id, or the client id for a backend service. */
  subject: string;
  /** The OAuth client the token was issued to. */
  clientId?: string;
  /** The granted scope string, as issued. */
  scope: string;
  /** Parsed resource scopes of `scope`. */
  resourceScopes: readonly ResourceScope[];
  /** Launch context: the patient (id) and encounter (id) the app works on. */
  patient?: string;
  encounter?: string;
  /** `Practitioner/123` or `Patient/456`: the FHIR resource of the signed-in user. */
  fhirUser?: string;
  roles: readonly Role[];
  /** Token id (`jti`), for audit and revocation. */
  tokenId?: string;
}

/** Builds an access context from a granted scope string. */
export function accessFromScope(
  base: Omit<AccessContext, 'scope' | 'resourceScopes'>,
  scope: string,
): AccessContext {
  return { ...base, scope, resourceScopes: parseScopes(scope).resources };
}

/**
 * The server acting for itself (command-line import, workers): full system access. Never
 * derived from a request; only code that runs without one passes it.
 */
export const internalAccess: AccessContext = accessFromScope(
  { kind: 'internal', subject: 'hospitium', roles: [] },
  'system/*.cruds',
);

/** No token: allowed nothing but what needs no permission (the CapabilityStatement). */
export const anonymousAccess: AccessContext = accessFromScope(
  { kind: 'anonymous', subject: '', roles: [] },
  '',
);
