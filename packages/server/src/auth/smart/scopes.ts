/**
 * SMART App Launch 2 scopes (with the v1 `.read` / `.write` / `.*` forms still sent by older
 * apps): `patient/Observation.rs`, `user/*.cruds`, `system/*.*`,
 * `patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory`.
 */

/** Who the scope speaks for: the patient in context, the signed-in user, or a backend system. */
export const scopeContexts = ['patient', 'user', 'system'] as const;
export type ScopeContext = (typeof scopeContexts)[number];

/** SMART v2 permissions in their canonical order: create, read, update, delete, search. */
export const permissions = ['c', 'r', 'u', 'd', 's'] as const;
export type Permission = (typeof permissions)[number];

/** One resource scope, parsed. */
export interface ResourceScope {
  /** The scope exactly as granted. */
  text: string;
  context: ScopeContext;
  /** A resource type name or `*`. */
  resourceType: string;
  permissions: ReadonlySet<Permission>;
  /** Granular restriction (`?category=…`): the search parameters every use must carry. */
  restriction?: readonly [string, string][];
}

const v1Permissions: Record<string, readonly Permission[]> = {
  read: ['r', 's'],
  write: ['c', 'u', 'd'],
  '*': ['c', 'r', 'u', 'd', 's'],
};

const scopePattern = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)(\?.*)?$/;

/**
 * Parses one resource scope; undefined when the text is not one (e.g. `openid`, `launch`) or
 * is malformed (`patient/Observation.rsc` — permissions out of order, `patient/*.x`).
 */
export function parseResourceScope(text: string): ResourceScope | undefined {
  const m = scopePattern.exec(text);
  if (!m) return undefined;
  const [, context, resourceType, perms, query] = m;
  let granted: readonly Permission[] | undefined = v1Permissions[perms];
  if (!granted) {
    // v2: a non-empty subset of c r u d s, in that order, each at most once.
    if (!/^c?r?u?d?s?$/.test(perms) || perms === '') return undefined;
    granted = [...perms] as Permission[];
  }
  if (query !== undefined && perms in v1Permissions) return undefined;
  let restriction: [string, string][] | undefined;
  if (query !== undefined) {
    restriction = [...new URLSearchParams(query.slice(1))];
    if (restriction.length === 0 || restriction.some(([k, v]) => k === '' || v === '')) return undefined;
  }
  return {
    text,
    context: context as ScopeContext,
    resourceType,
    permissions: new Set(granted),
    ...(restriction ? { restriction } : {}),
  };
}

/** Scopes that are not about resources but that SMART and OpenID Connect define. */
export const launchScopes = [
  'openid',
  'fhirUser',
  'profile',
  'offline_access',
  'online_access',
  'launch',
  'launch/patient',
  'launch/encounter',
] as const;

/** Splits a space-separated scope string into resource scopes and the rest. */
export function parseScopes(scope: string | undefined): { resources: ResourceScope[]; other: string[] } {
  const resources: ResourceScope[] = [];
  const other: string[] = [];
  for (const text of (scope ?? '').split(' ')) {
    if (text === '') continue;
    const parsed = parseResourceScope(text);
    if (parsed) resources.push(parsed);
    else other.push(text);
  }
  return { resources, other };
}

/**
 * True when every use `requested` allows is also allowed by `allowed`: the same context
 * (contexts never widen one another), a wildcard or the same type, a superset of permissions,
 * and every restriction of `allowed` repeated in `requested`. Clients are registered with
 * allowed scopes; an authorization request asks for a subset.
 */
export function scopeCovers(allowed: ResourceScope, requested: ResourceScope): boolean {
  if (allowed.context !== requested.context) return false;
  if (allowed.resourceType !== '*' && allowed.resourceType !== requested.resourceType) return false;
  for (const p of requested.permissions) if (!allowed.permissions.has(p)) return false;
  for (const [k, v] of allowed.restriction ?? []) {
    if (!requested.restriction?.some(([rk, rv]) => rk === k && rv === v)) return false;
  }
  return true;
}

/**
 * The scopes of `requested` a client registered with `allowed` may receive: resource scopes
 * covered by an allowed one, and the non-resource scopes it lists. Unknown text is dropped.
 */
export function grantableScopes(requested: string, allowed: string): string[] {
  const allow = parseScopes(allowed);
  const out: string[] = [];
  for (const text of requested.split(' ')) {
    if (text === '') continue;
    const parsed = parseResourceScope(text);
    if (parsed) {
      if (allow.resources.some((a) => scopeCovers(a, parsed))) out.push(text);
    } else if (allow.other.includes(text)) out.push(text);
  }
  return out;
}
