import Provider, { type Configuration, errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { ClientStore } from '../clients/client-store.js';
import { webAppClientId } from '../clients/web-app-client.js';
import type { AuthSettings } from '../settings.js';
import { authRoutes } from '../smart/configuration.js';
import type { LaunchContexts } from '../smart/launch-context.js';
import { grantableScopes, launchScopes, parseResourceScope } from '../smart/scopes.js';
import type { RevokedTokens } from '../tokens/revocations.js';
import { accessTokenAlgorithms, type TokenVerifier } from '../tokens/verify.js';
import { verifySecret } from '../users/passwords.js';
import type { UserStore } from '../users/user-store.js';
import type { ServerKeys } from './key-store.js';
import { renderErrorPage, renderLoggedOutPage, renderLogoutPage } from './pages.js';
import { userMayHold } from './user-scopes.js';

/** Where the authorization server lives under the server's origin. */
export const authPrefix = '/auth';

export interface ProviderSetup {
  /** `https://host/auth` */
  issuer: string;
  /** The FHIR base: the one resource server, and the `aud` of every access token. */
  fhirBaseUrl: string;
  keys: ServerKeys;
  adapter: (model: string) => import('oidc-provider').Adapter;
  users: UserStore;
  clients: ClientStore;
  launches: LaunchContexts;
  settings: AuthSettings;
  /** Verifies our JWT access tokens (introspection answers for them locally). */
  verifier: TokenVerifier;
  /** Where revoked JWT access tokens are remembered. */
  revoked: RevokedTokens;
}

/**
 * oidc-provider configured as a SMART App Launch 2 authorization server: authorization code
 * with PKCE (required), refresh tokens, client_credentials (secret or private_key_jwt),
 * introspection, revocation, JWT access tokens for the FHIR base, and the launch context in
 * tokens. Login and consent are our own pages (`interactions.ts`).
 */
export function createProvider(setup: ProviderSetup): Provider {
  const { fhirBaseUrl, settings, users, launches } = setup;
  const accessTokenTTL = settings.accessTokenMinutes * 60;

  /** Every scope string involved in this token request (asked now, or granted earlier). */
  const scopesInPlay = (ctx: KoaContextWithOIDC): string => {
    const entities = ctx.oidc.entities as Record<string, { scope?: string } | undefined>;
    return [
      [...(ctx.oidc.requestParamScopes ?? [])].join(' '),
      typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope : '',
      entities.AuthorizationCode?.scope ?? '',
      entities.RefreshToken?.scope ?? '',
    ].join(' ');
  };

  const configuration: Configuration = {
    adapter: setup.adapter as Configuration['adapter'],
    jwks: { keys: setup.keys.signing as never },
    cookies: {
      keys: setup.keys.cookies,
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'ES256',
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    extraClientMetadata: {
      properties: ['smart_scope'],
      validator(_ctx, key, value) {
        if (key === 'smart_scope' && value !== undefined && typeof value !== 'string') {
          throw new errors.InvalidClientMetadata('smart_scope must be a space-separated string');
        }
      },
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'RS384', 'ES256', 'ES384'],
      idTokenSigningAlgValues: ['ES256'],
    },
    scopes: [...launchScopes],
    claims: {
      openid: ['sub'],
      fhirUser: ['fhirUser'],
      profile: ['name', 'preferred_username'],
    },
    async findAccount(_ctx, sub) {
      const user = await users.byId(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            preferred_username: user.username,
            ...(user.displayName ? { name: user.displayName } : {}),
            ...(user.fhirUser ? { fhirUser: `${fhirBaseUrl}/${user.fhirUser}` } : {}),
          };
        },
      };
    },
    pkce: { required: () => true },
    // The hospital's own web app is first-party: signing in to it is consent enough (no "allow
    // access?" page). Its grant holds what it asked for that the user may hold; the role policy
    // still decides every request. Other clients keep the consent page.
    async loadExistingGrant(ctx) {
      const client = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!client || !session) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (client.clientId !== webAppClientId || !session.accountId) return undefined;
      const user = await users.byId(session.accountId);
      if (!user) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      const requested = String(ctx.oidc.params?.scope ?? '').split(' ');
      grant.addOIDCScope(requested.filter((s) => (launchScopes as readonly string[]).includes(s)).join(' '));
      grant.addResourceScope(
        fhirBaseUrl,
        requested.filter((s) => parseResourceScope(s) !== undefined && userMayHold(user, s)).join(' '),
      );
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client may introspect and revoke its own tokens only.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.type = 'html';
          ctx.body = renderLogoutPage(form, ctx.oidc.client?.clientName);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = renderLoggedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBaseUrl,
        useGrantedResource: () => true,
        async getResourceServerInfo(ctx, resource, client) {
          if (resource !== fhirBaseUrl) {
            throw new errors.InvalidTarget(`this server issues tokens for ${fhirBaseUrl} only`);
          }
          const requested = scopesInPlay(ctx);
          const clientScopes = (client as unknown as { smart_scope?: string }).smart_scope ?? '';
          const allowed = grantableScopes(requested, clientScopes).filter(
            (s) => parseResourceScope(s) !== undefined,
          );
          return {
            scope: [...new Set(allowed)].join(' '),
            audience: fhirBaseUrl,
            accessTokenTTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: accessTokenAlgorithms[0] } },
          };
        },
      },
    },
    extraParams: {
      // SMART: `aud` names the FHIR server the app means; refuse anything else.
      aud(_ctx, value) {
        if (value && value.replace(/\/+$/, '') !== fhirBaseUrl) {
          throw new errors.InvalidRequest(`aud must be this server's FHIR base URL (${fhirBaseUrl})`);
        }
      },
      async launch(_ctx, value) {
        if (value && !(await launches.launch(value))) {
          throw new errors.InvalidRequest('the launch value is unknown or has expired; launch the app again');
        }
      },
    },
    async extraTokenClaims(_ctx, token) {
      const grantId = (token as { grantId?: string }).grantId;
      const accountId = (token as { accountId?: string }).accountId;
      if (!grantId || !accountId) return undefined;
      const [context, user] = await Promise.all([launches.forGrant(grantId), users.byId(accountId)]);
      return {
        ...(context?.patient ? { patient: context.patient } : {}),
        ...(context?.encounter ? { encounter: context.encounter } : {}),
        ...(user?.fhirUser ? { fhirUser: user.fhirUser } : {}),
        roles: user?.roles ?? [],
      };
    },
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || code.scopes.has('online_access')),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: accessTokenTTL,
      ClientCredentials: accessTokenTTL,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 10 * 60,
      Session: settings.sessionIdleMinutes * 60,
      Grant: settings.refreshTokenDays * 24 * 3600,
      RefreshToken: settings.refreshTokenDays * 24 * 3600,
    },
    routes: authRoutes,
    interactions: { url: (_ctx, interaction) => `${authPrefix}/interaction/${interaction.uid}` },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = renderErrorPage(String(out.error ?? 'error'), String(out.error_description ?? ''));
    },
  };

  const provider = new Provider(setup.issuer, configuration);
  provider.proxy = settings.trustProxy;
  // Client secrets are stored as argon2id hashes: compare by verifying, never in plain text.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(actual: string) {
    return typeof this.clientSecret === 'string' ? verifySecret(this.clientSecret, actual) : false;
  };

  // oidc-provider will not introspect JWT access tokens; the client is authenticated by then,
  // so answer for them here from the local verification (RFC 7662), for the client they were issued to.
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route !== 'introspection' && route !== 'revocation') return;
    const body = ctx.body as { error?: string } | undefined;
    const client = ctx.oidc.client;
    const token = ctx.oidc.params?.token;
    if (body?.error !== 'unsupported_token_type' || !client || typeof token !== 'string') return;
    ctx.status = 200;
    if (route === 'introspection') {
      ctx.body = await introspectJwt(setup.verifier, token, client.clientId, setup.issuer, fhirBaseUrl);
      return;
    }
    // RFC 7009: revoking is answered 200 whatever the token; only its own client may revoke it.
    const introspected = await introspectJwt(
      setup.verifier,
      token,
      client.clientId,
      setup.issuer,
      fhirBaseUrl,
    );
    if (introspected.active === true && typeof introspected.jti === 'string') {
      await setup.revoked.revoke(introspected.jti, Number(introspected.exp));
    }
    ctx.body = '';
  });

  // SMART: the token response names the launch context beside the token.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body?.access_token) return;
    const entities = ctx.oidc.entities as Record<string, { grantId?: string } | undefined>;
    const grantId = entities.AuthorizationCode?.grantId ?? entities.RefreshToken?.grantId;
    if (!grantId) return;
    const context = await launches.forGrant(grantId);
    if (context?.patient) body.patient = context.patient;
    if (context?.encounter) body.encounter = context.encounter;
    if (context?.patient) body.need_patient_banner = true;
  });
  return provider;
}

/** The RFC 7662 answer for one of our JWT access tokens, or `{ active: false }`. */
async function introspectJwt(
  verifier: TokenVerifier,
  token: string,
  askingClient: string,
  issuer: string,
  audience: string,
): Promise<Record<string, unknown>> {
  try {
    const access = await verifier.verify(token);
    if (access.clientId !== askingClient) return { active: false };
    const [, payload = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    return {
      active: true,
      token_type: 'Bearer',
      scope: access.scope,
      client_id: access.clientId,
      sub: access.subject,
      iss: issuer,
      aud: audience,
      exp: claims.exp,
      iat: claims.iat,
      jti: access.tokenId,
      ...(access.patient ? { patient: access.patient } : {}),
      ...(access.encounter ? { encounter: access.encounter } : {}),
      ...(access.fhirUser ? { fhirUser: access.fhirUser } : {}),
    };
  } catch {
    return { active: false };
  }
}

/**
 * OpenID Connect drops `offline_access` unless the request asks for `prompt=consent`; SMART
 * apps ask for offline_access without it, and our consent page is always shown, so an
 * authorization request URL gets `prompt=consent` added in that case.
 */
export function withConsentPromptForOfflineAccess(url: string): string {
  const q = url.indexOf('?');
  if (q < 0 || url.slice(0, q) !== authRoutes.authorization) return url;
  const query = new URLSearchParams(url.slice(q + 1));
  const scopes = (query.get('scope') ?? '').split(' ');
  if (!scopes.includes('offline_access') || query.has('prompt')) return url;
  query.set('prompt', 'consent');
  return `${url.slice(0, q)}?${query}`;
}
