import { randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { AppAuth } from '../auth-server.js';
import { issuerFor } from '../smart/configuration.js';
import { createTokenVerifier, type TokenVerifier } from './verify.js';

/** Claims a test token may carry beside its scope. */
export interface TestTokenClaims {
  sub?: string;
  client_id?: string;
  patient?: string;
  encounter?: string;
  fhirUser?: string;
  roles?: string[];
  /** Seconds until expiry (negative: already expired). Default 600. */
  expiresIn?: number;
  /** Override the audience (default: the FHIR base). */
  aud?: string;
  /** Override the issuer. */
  iss?: string;
}

/**
 * A token authority for tests (in-process and the conformance package): never used by
 * `hospitium start`, which verifies against the server's own keys. It has its own ES256 key, a verifier that trusts only that
 * key (exactly as the product verifier trusts the server's keys), and `token(scope)` to mint
 * access tokens. Authentication stays on: tests send real bearer tokens through the real check.
 */
export interface TestAuthority extends AppAuth {
  issuer: string;
  verifier: TokenVerifier;
  token(scope: string, claims?: TestTokenClaims): Promise<string>;
  /** A token signed by a different key (forged) but otherwise valid. */
  forgedToken(scope: string): Promise<string>;
}

/** Creates a test authority for a FHIR base URL. */
export async function createTestAuthority(fhirBaseUrl: string): Promise<TestAuthority> {
  const issuer = issuerFor(fhirBaseUrl);
  const kid = randomUUID();
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const other = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const verifier = createTokenVerifier({
    issuer,
    audience: fhirBaseUrl,
    jwks: { keys: [jwk] },
    cacheSize: 0,
  });

  const sign = async (key: CryptoKey, scope: string, claims: TestTokenClaims = {}): Promise<string> => {
    const { expiresIn = 600, aud = fhirBaseUrl, iss = issuer, sub, client_id, ...rest } = claims;
    const clientId = client_id ?? 'test-client';
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope, client_id: clientId, ...rest })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .setIssuer(iss)
      .setAudience(aud)
      .setSubject(sub ?? clientId)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(key);
  };

  return {
    issuer,
    verifier,
    token: (scope, claims) => sign(privateKey, scope, claims),
    forgedToken: (scope) => sign(other.privateKey, scope),
  };
}
