/**
 * The authorization server's pages: sign-in, consent, error. Server-rendered, no script,
 * labelled inputs, one small stylesheet; served with a CSP that allows nothing else.
 */

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const style = `body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
label{display:block;margin-top:1rem;font-weight:600}input[type=text],input[type=password]{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
button{margin-top:1.5rem;margin-right:.5rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#b00020;border-left:4px solid #b00020;padding-left:.5rem}
ul{padding-left:1.2rem}code{background:#f2f2f2;padding:.1rem .3rem}.hint{color:#555;font-size:.9rem}`;

/** The Content-Security-Policy of these pages; `formTarget` is the origin a form may redirect to. */
export function pageCsp(formTarget?: string): string {
  const formAction = formTarget ? `'self' ${formTarget}` : "'self'";
  return `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} — Hospitium</title><style>${style}</style></head>
<body><main>${body}</main></body></html>
`;
}

export interface LoginPage {
  action: string;
  abortAction: string;
  clientName: string;
  username?: string;
  error?: string;
  askTotp: boolean;
  /** The account holds a temporary password: ask for a new one (twice). */
  askNewPassword: boolean;
}

/** The sign-in form (user name, password, and the authenticator code when the account needs one). */
export function renderLoginPage(p: LoginPage): string {
  const error = p.error ? `<p class="error" role="alert">${escapeHtml(p.error)}</p>` : '';
  const totp = p.askTotp
    ? `<label for="totp">Authenticator code</label>
<input id="totp" name="totp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required>`
    : '';
  const newPassword = p.askNewPassword
    ? `<label for="new_password">New password</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="12" required>
<label for="new_password_confirm">New password again</label>
<input id="new_password_confirm" name="new_password_confirm" type="password" autocomplete="new-password" minlength="12" required>
<p class="hint">At least 12 characters, not containing your user name.</p>`
    : '';
  return page(
    'Sign in',
    `<h1>Sign in to Hospitium</h1>
<p><strong>${escapeHtml(p.clientName)}</strong> asks you to sign in.</p>${error}
<form method="post" action="${escapeHtml(p.action)}">
<label for="username">User name</label>
<input id="username" name="username" type="text" autocomplete="username" required value="${escapeHtml(p.username ?? '')}" ${p.username ? '' : 'autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required ${p.username ? 'autofocus' : ''}>
${totp}
${newPassword}
<button type="submit">Sign in</button>
</form>
<form method="post" action="${escapeHtml(p.abortAction)}"><button type="submit">Cancel</button></form>`,
  );
}

export interface ConsentPage {
  action: string;
  abortAction: string;
  clientName: string;
  username: string;
  scopes: readonly string[];
  /** Ask which patient the app works on (standalone launch by staff). */
  askPatient: boolean;
  patient?: string;
  error?: string;
}

/** Plain words for a scope, for the consent list. */
export function describeScope(scope: string): string {
  const fixed: Record<string, string> = {
    openid: 'confirm who you are',
    fhirUser: 'know your user record',
    profile: 'see your name',
    offline_access: 'keep access after you close it',
    online_access: 'keep access while you are signed in',
    launch: 'know the patient and encounter you opened it from',
    'launch/patient': 'know which patient it works on',
    'launch/encounter': 'know which encounter it works on',
  };
  if (fixed[scope]) return fixed[scope];
  const m = /^(patient|user|system)\/(\*|\w+)\.([a-z*]+)/.exec(scope);
  if (!m) return scope;
  const [, context, type, perms] = m;
  const verbs: Record<string, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };
  const list =
    perms === 'read'
      ? 'read and search'
      : perms === 'write'
        ? 'create, update and delete'
        : perms === '*'
          ? 'do anything with'
          : [...perms].map((p) => verbs[p] ?? p).join(', ');
  const what = type === '*' ? 'all records' : `${type} records`;
  const whose = context === 'patient' ? ' of the selected patient' : context === 'user' ? ' you can see' : '';
  return `${list} ${what}${whose}${scope.includes('?') ? ' (only some, as filtered)' : ''}`;
}

/** The consent form: what the app asks for, and (standalone launch) which patient. */
export function renderConsentPage(p: ConsentPage): string {
  const error = p.error ? `<p class="error" role="alert">${escapeHtml(p.error)}</p>` : '';
  const items = p.scopes
    .map((s) => `<li>${escapeHtml(describeScope(s))} <code>${escapeHtml(s)}</code></li>`)
    .join('\n');
  const patient = p.askPatient
    ? `<label for="patient">Patient id</label>
<input id="patient" name="patient" type="text" required value="${escapeHtml(p.patient ?? '')}" aria-describedby="patient-hint">
<p id="patient-hint" class="hint">The id of the Patient record the app will work on.</p>`
    : '';
  return page(
    'Allow access',
    `<h1>Allow access?</h1>
<p>Signed in as <strong>${escapeHtml(p.username)}</strong>. <strong>${escapeHtml(p.clientName)}</strong> asks to:</p>
<ul>${items}</ul>${error}
<form method="post" action="${escapeHtml(p.action)}">${patient}
<button type="submit">Allow</button>
</form>
<form method="post" action="${escapeHtml(p.abortAction)}"><button type="submit">Deny</button></form>`,
  );
}

/** The page shown when an authorization request cannot go on (bad client, redirect URI …). */
export function renderErrorPage(error: string, description: string): string {
  return page(
    'Sign-in problem',
    `<h1>This sign-in cannot continue</h1>
<p class="error" role="alert">${escapeHtml(description || error)}</p>
<p class="hint">Error code: <code>${escapeHtml(error)}</code>. Go back to the application and start again.</p>`,
  );
}

/**
 * The end-session confirmation (OIDC RP-initiated logout). `form` is oidc-provider's own hidden
 * form (with its CSRF token, id `op.logoutForm`); the buttons submit it. A page rather than an
 * automatic sign-out, because a link alone must not be able to end someone's session.
 */
export function renderLogoutPage(form: string, clientName: string | undefined): string {
  return page(
    'Sign out',
    `<h1>Sign out of Hospitium?</h1>
<p>${clientName ? `You are leaving <strong>${escapeHtml(clientName)}</strong>. ` : ''}Signing out here ends your session on this device, for every Hospitium app.</p>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
  );
}

/** The page after signing out when no application asked to be returned to. */
export function renderLoggedOutPage(): string {
  return page('Signed out', '<h1>You are signed out</h1><p><a href="/">Sign in again</a></p>');
}
