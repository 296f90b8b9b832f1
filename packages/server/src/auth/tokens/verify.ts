import { unauthorized } from '@hospitium/fhir';
import { createLocalJWKSet, errors, type JSONWebKeySet, jwtVerify } from 'jose';
import { isRole, type Role } from '../users/roles.js';
import { type AccessContext, accessFromScope } from './access-context.js';

/** Checks a bearer token and says who it speaks for. */
export interface TokenVerifier {
  /** The access context of a valid token; throws 401 (OperationOutcomeError) otherwise. */
  verify(token: string): Promise<AccessContext>;
}

export interface TokenVerifierOptions {
  /** The authorization server's issuer (`iss`). */
  issuer: string;
  /** The FHIR base URL: tokens must name it in `aud`. */
  audience: string;
  /** The public signing keys (from the server's own key store: no network, no database per request). */
  jwks: JSONWebKeySet;
  /** How many verified tokens to remember (until they expire); 0 turns the cache off. */
  cacheSize?: number;
  /** Revoked token ids (`jti`): an in-memory lookup, checked on every request. */
  isRevoked?: (jti: string | undefined) => boolean;
}

/** Algorithms the server signs access tokens with. */
export const accessTokenAlgorithms = ['ES256'] as const;

/**
 * Verifies JWT access tokens locally: signature against the server's keys, `iss`, `aud`,
 * `exp`/`nbf`, `typ: at+jwt`. A verified token is remembered until it expires, so a client
 * sending the same token on every request pays for the signature check once.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = createLocalJWKSet(options.jwks);
  const cacheSize = options.cacheSize ?? 1000;
  const cache = new Map<string, { access: AccessContext; exp: number }>();

  return {
    async verify(token) {
      const cached = cache.get(token);
      const now = Math.floor(Date.now() / 1000);
      if (cached) {
        if (cached.exp > now) return checkRevoked(cached.access);
        cache.delete(token);
      }
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...accessTokenAlgorithms],
          typ: 'at+jwt',
          requiredClaims: ['exp', 'sub', 'client_id'],
        }));
      } catch (err) {
        throw unauthorized(reasonFor(err));
      }
      const access = toAccess(payload);
      if (cacheSize > 0) {
        if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
        cache.set(token, { access, exp: payload.exp as number });
      }
      return checkRevoked(access);
    },
  };

  function checkRevoked(access: AccessContext): AccessContext {
    if (options.isRevoked?.(access.tokenId)) throw unauthorized('The access token has been revoked');
    return access;
  }
}

function reasonFor(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'The access token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'The access token is not for this FHIR server (wrong audience)';
    if (err.claim === 'iss') return 'The access token was not issued by this server';
    return `The access token is invalid (${err.claim})`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
    return 'The access token signature is not valid';
  }
  return 'The access token is malformed or not a token this server issued';
}

function toAccess(payload: Record<string, unknown>): AccessContext {
  const str = (name: string): string | undefined =>
    typeof payload[name] === 'string' ? (payload[name] as string) : undefined;
  const subject = str('sub') ?? '';
  const clientId = str('client_id');
  const roleClaim = Array.isArray(payload.roles) ? payload.roles : [];
  const roles: Role[] = roleClaim.filter((r): r is Role => typeof r === 'string' && isRole(r));
  const patient = str('patient');
  const encounter = str('encounter');
  const fhirUser = str('fhirUser');
  const tokenId = str('jti');
  return accessFromScope(
    {
      kind: subject === clientId ? 'client' : 'user',
      subject,
      roles,
      ...(clientId ? { clientId } : {}),
      ...(patient ? { patient } : {}),
      ...(encounter ? { encounter } : {}),
      ...(fhirUser ? { fhirUser } : {}),
      ...(tokenId ? { tokenId } : {}),
    },
    str('scope') ?? '',
  );
}
