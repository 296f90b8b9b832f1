import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { AuditRecorder } from '../../audit/recorder.js';
import { recordSignIn } from '../../audit/sign-in.js';
import type { AuthSettings } from '../settings.js';
import type { LaunchContext, LaunchContexts } from '../smart/launch-context.js';
import { authenticate } from '../users/login.js';
import type { User, UserStore } from '../users/user-store.js';
import { pageCsp, renderConsentPage, renderLoginPage } from './pages.js';
import { authPrefix } from './provider.js';
import { userMayHold } from './user-scopes.js';

export interface InteractionSetup {
  provider: Provider;
  users: UserStore;
  launches: LaunchContexts;
  settings: AuthSettings;
  /** True when a Patient with this id exists (standalone launch: the chosen patient). */
  patientExists: (id: string) => Promise<boolean>;
  /** Where sign-ins and refused sign-ins are audited. */
  audit?: AuditRecorder;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

const loginMessages = {
  invalid: 'The user name or password is not right.',
  locked: 'This account is locked. Try again later or ask the IT service desk to unlock it.',
  'totp-required': 'Enter the code from your authenticator app.',
  'totp-invalid': 'The authenticator code is not right.',
  inactive: 'This account is deactivated. Ask the IT service desk.',
  'password-change-required':
    'You signed in with a temporary password: choose a new password of your own to continue.',
  'temporary-password-expired': 'This temporary password has expired. Ask the IT service desk for a new one.',
} as const;

/**
 * The sign-in and consent steps of the authorization code flow, as plain HTML forms:
 * `GET /auth/interaction/:uid` shows the step oidc-provider asks for; the forms POST to
 * `…/login`, `…/confirm` or `…/abort`. The interaction cookie (SameSite=Lax, bound to the uid)
 * is what ties a POST to the browser that started the flow.
 */
export function registerInteractionRoutes(app: FastifyInstance, setup: InteractionSetup): void {
  const { provider, users, launches } = setup;
  const base = `${authPrefix}/interaction/:uid`;

  app.get<{ Params: { uid: string } }>(base, async (request, reply) => {
    const details = await provider.interactionDetails(request.raw, reply.raw);
    if (details.prompt.name === 'login') return showLogin(reply, details, {});
    return showConsent(reply, details, {});
  });

  app.post<{ Params: { uid: string } }>(`${base}/login`, async (request, reply) => {
    const details = await provider.interactionDetails(request.raw, reply.raw);
    const form = formOf(request);
    const username = form.get('username') ?? '';
    const result = await authenticate(
      users,
      {
        username,
        password: form.get('password') ?? '',
        totp: form.get('totp') ?? undefined,
        newPassword: newPasswordOf(form),
      },
      setup.settings.lockout,
    );
    const clientId = typeof details.params.client_id === 'string' ? details.params.client_id : undefined;
    if (setup.audit) {
      await recordSignIn(setup.audit, {
        kind: 'login',
        username,
        ...(result.ok ? { userId: result.user.id } : {}),
        ...(result.ok && result.user.fhirUser ? { fhirUser: result.user.fhirUser } : {}),
        ...(clientId ? { clientId } : {}),
        networkAddress: request.ip,
        failed: !result.ok,
        ...(result.ok ? {} : { reason: result.reason }),
      });
    }
    if (!result.ok) {
      const known = await users.credentials(username);
      const askTotp =
        result.reason === 'totp-required' ||
        result.reason === 'totp-invalid' ||
        (result.reason === 'password-change-required' && known?.totpSecret !== undefined);
      const askNewPassword = result.reason === 'password-change-required';
      request.log.info({ username, reason: result.reason }, 'sign-in refused');
      const error = result.problem ?? loginMessages[result.reason];
      return showLogin(reply, details, { username, error, askTotp, askNewPassword }, 401);
    }
    request.log.info({ username }, 'signed in');
    const returnTo = await provider.interactionResult(
      request.raw,
      reply.raw,
      { login: { accountId: result.user.id } },
      { mergeWithLastSubmission: false },
    );
    return reply.redirect(returnTo, 303);
  });

  app.post<{ Params: { uid: string } }>(`${base}/confirm`, async (request, reply) => {
    const details = await provider.interactionDetails(request.raw, reply.raw);
    const accountId = details.session?.accountId;
    const user = accountId ? await users.byId(accountId) : undefined;
    if (details.prompt.name !== 'consent' || !user) return showLogin(reply, details, {});
    const form = formOf(request);
    const context = await launchContextFor(details, user, form.get('patient') ?? undefined);
    if ('error' in context)
      return showConsent(reply, details, { error: context.error, patient: form.get('patient') ?? '' }, 400);

    const clientId = String(details.params.client_id);
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
      : new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.filter((s) => userMayHold(user, s)).join(' '));
    }
    const grantId = await grant.save();
    await launches.bindToGrant(grantId, context, setup.settings.refreshTokenDays * 24 * 3600);
    const returnTo = await provider.interactionResult(
      request.raw,
      reply.raw,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
    return reply.redirect(returnTo, 303);
  });

  app.post<{ Params: { uid: string } }>(`${base}/abort`, async (request, reply) => {
    const returnTo = await provider.interactionResult(
      request.raw,
      reply.raw,
      { error: 'access_denied', error_description: 'The user did not allow access' },
      { mergeWithLastSubmission: false },
    );
    return reply.redirect(returnTo, 303);
  });

  async function showLogin(
    reply: FastifyReply,
    details: Details,
    state: { username?: string; error?: string; askTotp?: boolean; askNewPassword?: boolean },
    status = 200,
  ): Promise<FastifyReply> {
    const client = await provider.Client.find(String(details.params.client_id));
    const html = renderLoginPage({
      action: `${authPrefix}/interaction/${details.uid}/login`,
      abortAction: `${authPrefix}/interaction/${details.uid}/abort`,
      clientName: client?.clientName ?? String(details.params.client_id),
      askTotp: state.askTotp ?? false,
      askNewPassword: state.askNewPassword ?? false,
      ...state,
    });
    return sendPage(reply, html, status, redirectOrigin(details));
  }

  async function showConsent(
    reply: FastifyReply,
    details: Details,
    state: { error?: string; patient?: string },
    status = 200,
  ): Promise<FastifyReply> {
    const client = await provider.Client.find(String(details.params.client_id));
    const user = details.session?.accountId ? await users.byId(details.session.accountId) : undefined;
    const scopes = String(details.params.scope ?? '')
      .split(' ')
      .filter((s) => s !== '' && (!user || userMayHold(user, s)));
    const html = renderConsentPage({
      action: `${authPrefix}/interaction/${details.uid}/confirm`,
      abortAction: `${authPrefix}/interaction/${details.uid}/abort`,
      clientName: client?.clientName ?? String(details.params.client_id),
      username: user?.username ?? '',
      scopes,
      askPatient: needsPatientChoice(details, user),
      ...state,
    });
    return sendPage(reply, html, status, redirectOrigin(details));
  }

  /** The patient/encounter for this grant: from the EHR launch, the patient's own record, or the form. */
  async function launchContextFor(
    details: Details,
    user: User,
    chosenPatient: string | undefined,
  ): Promise<LaunchContext | { error: string }> {
    const launch = typeof details.params.launch === 'string' ? details.params.launch : undefined;
    if (launch) {
      const context = await launches.launch(launch);
      if (!context) return { error: 'The launch has expired; open the app from the record again.' };
      return context;
    }
    const own = user.fhirUser?.startsWith('Patient/') ? user.fhirUser.slice('Patient/'.length) : undefined;
    if (own) return { patient: own };
    if (!needsPatientChoice(details, user)) return {};
    const id = chosenPatient?.trim() ?? '';
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id) || !(await setup.patientExists(id))) {
      return { error: `There is no patient with id '${id}'.` };
    }
    return { patient: id };
  }
}

/** Standalone launch by a staff user asking for `launch/patient`: they pick the patient. */
function needsPatientChoice(details: Details, user: User | undefined): boolean {
  const scopes = String(details.params.scope ?? '').split(' ');
  return (
    scopes.includes('launch/patient') &&
    typeof details.params.launch !== 'string' &&
    !user?.fhirUser?.startsWith('Patient/')
  );
}

/** The new password of a temporary-password sign-in; a mismatched confirmation counts as none given. */
function newPasswordOf(form: URLSearchParams): string | undefined {
  const value = form.get('new_password') ?? '';
  if (value === '' || value !== form.get('new_password_confirm')) return undefined;
  return value;
}

function formOf(request: FastifyRequest): URLSearchParams {
  return request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
}

function redirectOrigin(details: Details): string | undefined {
  try {
    return new URL(String(details.params.redirect_uri)).origin;
  } catch {
    return undefined;
  }
}

function sendPage(reply: FastifyReply, html: string, status: number, formTarget?: string): FastifyReply {
  return reply
    .code(status)
    .header('content-security-policy', pageCsp(formTarget))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}
