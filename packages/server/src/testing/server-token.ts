import { randomUUID } from 'node:crypto';
import type { Database } from '@hospitium/db';
import { importJWK, SignJWT } from 'jose';
import { loadServerKeys } from '../auth/oidc/key-store.js';
import { issuerFor } from '../auth/smart/configuration.js';

/** Who a minted token speaks for. */
export interface ServerTokenClaims {
  sub: string;
  scope: string;
  client_id?: string;
  roles?: string[];
  fhirUser?: string;
}

/**
 * An access token signed with the server's own key (as oidc-provider signs them), for tests of
 * routes whose subject matters more than how the token was obtained: an it-admin without the
 * TOTP dance. The OAuth flows themselves are tested through the sign-in pages.
 */
export async function serverSignedToken(
  db: Database,
  fhirBaseUrl: string,
  claims: ServerTokenClaims,
): Promise<string> {
  const [jwk] = (await loadServerKeys(db)).signing;
  const key = await importJWK(jwk, 'ES256');
  const { sub, client_id = 'admin-console', ...rest } = claims;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id, ...rest })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: String(jwk.kid) })
    .setIssuer(issuerFor(fhirBaseUrl))
    .setAudience(fhirBaseUrl)
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(key);
}
