import type Provider from 'oidc-provider';
import type { UserStore } from '../auth/users/user-store.js';
import { buildSignInEvent, type SignInEventInput } from './build-event.js';
import type { AuditRecorder } from './recorder.js';

/** Records a sign-in, a refused sign-in or a sign-out (DICOM 110114); resolves once stored. */
export function recordSignIn(
  recorder: AuditRecorder,
  input: Omit<SignInEventInput, 'observer'>,
): Promise<void> {
  return recorder.record(buildSignInEvent({ ...input, observer: recorder.observer }));
}

/**
 * Audits what happens inside oidc-provider's own routes: a confirmed sign-out
 * (`end_session_confirm`, Logout with the account that signed out) and a token request a
 * backend service is refused (`client_credentials` answered 4xx: a failed Login of the client).
 */
export function auditProviderEvents(provider: Provider, recorder: AuditRecorder, users: UserStore): void {
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'end_session_confirm' && ctx.status < 400) {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId) return;
      const user = await users.byId(accountId);
      await recordSignIn(recorder, {
        kind: 'logout',
        userId: accountId,
        ...(user?.username ? { username: user.username } : {}),
        ...(user?.fhirUser ? { fhirUser: user.fhirUser } : {}),
        networkAddress: ctx.ip,
        failed: false,
      });
    } else if (route === 'token' && ctx.status >= 400) {
      const params = ctx.oidc.params as { grant_type?: unknown; client_id?: unknown } | undefined;
      if (params?.grant_type !== 'client_credentials') return;
      const clientId =
        ctx.oidc.client?.clientId ?? (typeof params.client_id === 'string' ? params.client_id : undefined);
      const body = ctx.body as { error?: string; error_description?: string } | undefined;
      await recordSignIn(recorder, {
        kind: 'login',
        ...(clientId ? { clientId, username: clientId } : {}),
        networkAddress: ctx.ip,
        failed: true,
        reason: body?.error_description ?? body?.error ?? `token request refused (${ctx.status})`,
      });
    }
  });
}
