import { randomBytes } from 'node:crypto';
import type { Database, Repository } from '@hospitium/db';
import { badRequest, forbidden, isOperationOutcomeError } from '@hospitium/fhir';
import type { FastifyInstance } from 'fastify';
import type Provider from 'oidc-provider';
import { AuditRecorder } from '../audit/recorder.js';
import { auditProviderEvents } from '../audit/sign-in.js';
import { ClientStore, parseClientPair } from './clients/client-store.js';
import { registerWebAppClient } from './clients/web-app-client.js';
import { createAdapterFactory } from './oidc/adapter.js';
import { registerInteractionRoutes } from './oidc/interactions.js';
import { loadServerKeys } from './oidc/key-store.js';
import { renderErrorPage } from './oidc/pages.js';
import { authPrefix, createProvider, withConsentPromptForOfflineAccess } from './oidc/provider.js';
import type { SecretBox } from './secrets/secret-box.js';
import { type AuthSettings, defaultAuthSettings } from './settings.js';
import { issuerFor, smartConfiguration } from './smart/configuration.js';
import { LaunchContexts } from './smart/launch-context.js';
import { authenticateBearer } from './tokens/bearer-hook.js';
import { requestAccess } from './tokens/request-access.js';
import { RevokedTokens } from './tokens/revocations.js';
import { createTokenVerifier, type TokenVerifier } from './tokens/verify.js';
import { passwordProblem } from './users/passwords.js';
import { UserAdministration } from './users/user-admin.js';
import { registerUserRoutes } from './users/user-routes.js';
import { type SecretsReport, UserStore } from './users/user-store.js';

/** What the HTTP app needs from identity and access: a token check, and (optionally) the routes of the OAuth server. */
export interface AppAuth {
  verifier: TokenVerifier;
  /** Registers the authorization server's routes and discovery documents. */
  register?: (app: FastifyInstance, routeOptions: { rateLimit: object }) => void;
}

export interface AuthServer extends AppAuth {
  issuer: string;
  /** The FHIR base URL tokens are issued for. */
  fhirBaseUrl: string;
  provider: Provider;
  users: UserStore;
  /** Account administration (the `/auth/users` API and `hospitium users` share it), audited. */
  admin: UserAdministration;
  clients: ClientStore;
  launches: LaunchContexts;
  /** TOTP secrets found on start, and how many were still in clear and are encrypted now. */
  secrets: SecretsReport;
  register: NonNullable<AppAuth['register']>;
}

export interface AuthServerSetup {
  db: Database;
  repository: Repository;
  /** Public FHIR base URL (the audience of tokens); the issuer is its origin + `/auth`. */
  fhirBaseUrl: string;
  settings?: Partial<AuthSettings>;
  /**
   * The key TOTP secrets are encrypted with (`loadSecretKey`). Without one, start fails when
   * TOTP accounts exist, and creating one fails with a message saying how to configure a key.
   */
  secrets?: SecretBox;
}

/**
 * The OAuth 2 / OpenID Connect / SMART authorization server of one Hospitium process: keys
 * from the database (generated on first start), oidc-provider on our storage, the sign-in and
 * consent pages, SMART discovery, EHR launch registration, and the token verifier the FHIR
 * API uses (local keys, no database per request).
 */
export async function createAuthServer(setup: AuthServerSetup): Promise<AuthServer> {
  const settings: AuthSettings = { ...defaultAuthSettings, ...setup.settings };
  const fhirBaseUrl = setup.fhirBaseUrl.replace(/\/+$/, '');
  const issuer = issuerFor(fhirBaseUrl);
  const keys = await loadServerKeys(setup.db);
  const users = new UserStore(setup.db, setup.secrets);
  const secrets = await users.prepareSecrets();
  const clients = new ClientStore(setup.db);
  const adapter = createAdapterFactory(setup.db, clients);
  const launches = new LaunchContexts(adapter('Launch'), adapter('LaunchContext'));
  const revoked = new RevokedTokens(setup.db);
  await revoked.refresh();
  const verifier = createTokenVerifier({
    issuer,
    audience: fhirBaseUrl,
    jwks: keys.publicJwks,
    isRevoked: (jti) => revoked.has(jti),
  });
  const provider = createProvider({
    issuer,
    fhirBaseUrl,
    keys,
    adapter,
    users,
    clients,
    launches,
    settings,
    verifier,
    revoked,
  });
  // Sign-ins, sign-outs and refused client tokens go to the audit trail (audit/README.md).
  const audit = new AuditRecorder(setup.repository, setup.db, fhirBaseUrl);
  auditProviderEvents(provider, audit, users);
  const admin = new UserAdministration(users, audit);

  const patientExists = async (id: string): Promise<boolean> => {
    try {
      await setup.repository.readResource('Patient', id);
      return true;
    } catch (err) {
      if (isOperationOutcomeError(err) && err.status < 500) return false;
      throw err;
    }
  };

  function register(app: FastifyInstance, routeOptions: { rateLimit: object }): void {
    app.addHook('onReady', async () =>
      revoked.start((err) => app.log.warn({ err }, 'revocation refresh failed')),
    );
    app.addHook('onClose', async () => revoked.stop());
    const discovery = smartConfiguration(issuer);
    for (const path of ['/.well-known/smart-configuration', '/fhir/.well-known/smart-configuration']) {
      app.get(path, async (_request, reply) =>
        reply.header('access-control-allow-origin', '*').type('application/json').send(discovery),
      );
    }
    // OpenID discovery at the origin too, for clients that look there rather than under the issuer.
    app.get('/.well-known/openid-configuration', async (_request, reply) =>
      reply.redirect(`${issuer}/.well-known/openid-configuration`, 301),
    );

    // EHR launch: the EHR (signed in, with a user/ scope) registers the context, gets `launch`.
    app.post(`${authPrefix}/launch`, { config: routeOptions }, async (request, reply) => {
      await authenticateBearer(request, reply, verifier, issuer);
      const access = requestAccess(request);
      if (access.kind !== 'user' || !access.resourceScopes.some((s) => s.context === 'user')) {
        throw forbidden('Only a signed-in user with user/ scopes can start an EHR launch');
      }
      const body = request.body as { patient?: unknown; encounter?: unknown } | undefined;
      const patient = typeof body?.patient === 'string' ? body.patient : undefined;
      const encounter = typeof body?.encounter === 'string' ? body.encounter : undefined;
      if (!patient || !(await patientExists(patient)))
        throw badRequest('patient must name an existing Patient id', 'patient');
      const launch = randomBytes(24).toString('base64url');
      await launches.createLaunch({ patient, ...(encounter ? { encounter } : {}) }, launch);
      return reply.code(201).send({ launch, expires_in: 600 });
    });

    registerUserRoutes(app, admin);

    void app.register(async (pages) => {
      pages.setErrorHandler((err, request, reply) => {
        const e = err as {
          statusCode?: number;
          error?: string;
          error_description?: string;
          message?: string;
        };
        const status = typeof e.statusCode === 'number' && e.statusCode < 500 ? e.statusCode : 500;
        if (status >= 500) request.log.error({ err }, 'sign-in step failed');
        return reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(renderErrorPage(e.error ?? 'server_error', e.error_description ?? 'The sign-in step failed'));
      });
      pages.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object), ...routeOptions };
      });
      registerInteractionRoutes(pages, { provider, users, launches, settings, patientExists, audit });
    });

    // Everything else under /auth is oidc-provider's own (Koa) app; it reads the body itself.
    void app.register(async (oauth) => {
      oauth.removeAllContentTypeParsers();
      oauth.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
      const callback = provider.callback();
      oauth.all(`${authPrefix}/*`, { config: routeOptions }, async (request, reply) => {
        reply.hijack();
        const raw = request.raw as typeof request.raw & { originalUrl?: string };
        const path = withConsentPromptForOfflineAccess((raw.url ?? '/').slice(authPrefix.length) || '/');
        raw.url = path;
        raw.originalUrl = `${authPrefix}${path}`;
        await callback(raw, reply.raw);
      });
    });
  }

  return { issuer, fhirBaseUrl, provider, users, admin, clients, launches, secrets, verifier, register };
}

/** First-start accounts from the environment (DESIGN.md contracts). */
export interface BootstrapInput {
  /** `HOSPITIUM_ADMIN_PASSWORD`: creates user `admin` (it-admin) when it does not exist. */
  adminPassword?: string;
  /** `HOSPITIUM_BOOTSTRAP_CLIENT=<id>:<secret>`: a `system/*.*` backend client, idempotently. */
  bootstrapClient?: string;
}

/** What bootstrap did, for the start banner (the TOTP enrolment URI is shown once, never logged). */
export interface BootstrapReport {
  admin?: 'created' | 'exists';
  adminTotpUri?: string;
  client?: { clientId: string; result: 'created' | 'updated' | 'unchanged' };
  /** The clinician web app's public client, registered at every start. */
  webAppClient: 'created' | 'updated' | 'unchanged';
}

/**
 * Creates the first administrator and the bootstrap client as configured, and registers the
 * web app's client for this server's address. Idempotent.
 */
export async function bootstrapIdentity(auth: AuthServer, input: BootstrapInput): Promise<BootstrapReport> {
  const report: BootstrapReport = {
    webAppClient: await registerWebAppClient(auth.clients, auth.fhirBaseUrl),
  };
  if (input.adminPassword) {
    if (await auth.users.exists('admin')) report.admin = 'exists';
    else {
      const problem = passwordProblem(input.adminPassword, 'admin');
      if (problem) throw badRequest(`HOSPITIUM_ADMIN_PASSWORD: ${problem}`, 'HOSPITIUM_ADMIN_PASSWORD');
      const created = await auth.users.create({
        username: 'admin',
        password: input.adminPassword,
        roles: ['it-admin'],
        displayName: 'Administrator',
      });
      report.admin = 'created';
      if (created.totpUri) report.adminTotpUri = created.totpUri;
    }
  }
  if (input.bootstrapClient) {
    const { clientId, secret } = parseClientPair(input.bootstrapClient, 'HOSPITIUM_BOOTSTRAP_CLIENT');
    report.client = { clientId, result: await auth.clients.bootstrap(clientId, secret) };
  }
  return report;
}
