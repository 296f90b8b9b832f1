import { launchScopes } from './scopes.js';

/** The authorization server's issuer for a FHIR base: the same origin, path `/auth`. */
export function issuerFor(fhirBaseUrl: string): string {
  return `${new URL(fhirBaseUrl).origin}/auth`;
}

/** The authorization server's endpoint paths under its issuer. */
export const authRoutes = {
  authorization: '/authorize',
  token: '/token',
  jwks: '/jwks',
  introspection: '/introspect',
  revocation: '/revoke',
  end_session: '/logout',
  userinfo: '/userinfo',
  pushed_authorization_request: '/par',
  code_verification: '/device',
  device_authorization: '/device/auth',
  backchannel_authentication: '/backchannel',
  challenge: '/challenge',
  credential: '/credential',
  registration: '/register',
} as const;

/**
 * `/.well-known/smart-configuration` (SMART App Launch 2 §2.6): where to authorize and get
 * tokens, and what this server supports.
 */
export function smartConfiguration(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}${authRoutes.jwks}`,
    authorization_endpoint: `${issuer}${authRoutes.authorization}`,
    token_endpoint: `${issuer}${authRoutes.token}`,
    introspection_endpoint: `${issuer}${authRoutes.introspection}`,
    revocation_endpoint: `${issuer}${authRoutes.revocation}`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384', 'RS256', 'ES256'],
    scopes_supported: [...launchScopes, 'patient/*.rs', 'user/*.cruds', 'system/*.*', 'system/*.rs'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'client-confidential-symmetric',
      'client-confidential-asymmetric',
      'context-ehr-patient',
      'context-ehr-encounter',
      'context-standalone-patient',
      'permission-offline',
      'permission-online',
      'permission-patient',
      'permission-user',
      'permission-v1',
      'permission-v2',
      'sso-openid-connect',
    ],
  };
}
