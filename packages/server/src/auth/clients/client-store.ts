import type { Queryable } from '@hospitium/db';
import { badRequest, notFound } from '@hospitium/fhir';
import { launchScopes, parseScopes } from '../smart/scopes.js';
import { hashSecret, verifySecret } from '../users/passwords.js';

/** How a client proves who it is at the token endpoint. */
export const clientAuthMethods = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
] as const;
export type ClientAuthMethod = (typeof clientAuthMethods)[number];

/** A client registration as an administrator writes it. */
export interface ClientRegistration {
  clientId: string;
  name?: string;
  /** A shared secret (confidential client); stored as an argon2id hash. */
  secret?: string;
  /** Public keys (JWKS) for `private_key_jwt`. */
  jwks?: { keys: Record<string, unknown>[] };
  /** Where the authorization server may send codes (apps that sign users in). */
  redirectUris?: string[];
  /** Where the app may ask to be sent after signing out (OIDC RP-initiated logout). */
  postLogoutRedirectUris?: string[];
  /** The most this client may ask for: SMART scopes, `launch`, `openid`, `offline_access` … */
  scope: string;
  grantTypes: ('authorization_code' | 'refresh_token' | 'client_credentials')[];
}

/** The registration in oidc-provider's metadata form. */
export type ClientMetadata = Record<string, unknown> & { client_id: string };

const clientIdPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/** Builds the oidc-provider metadata of a registration (the secret hashed). 400 on inconsistencies. */
export async function toClientMetadata(reg: ClientRegistration): Promise<ClientMetadata> {
  if (!clientIdPattern.test(reg.clientId)) {
    throw badRequest('A client id is 1–128 characters: letters, digits and . _ ~ -', 'clientId');
  }
  if (reg.secret !== undefined && reg.secret.length < 16) {
    throw badRequest('A client secret needs at least 16 characters', 'secret');
  }
  if (reg.secret !== undefined && reg.jwks !== undefined) {
    throw badRequest('A client authenticates with a secret or with keys, not both', 'secret');
  }
  const interactive = reg.grantTypes.includes('authorization_code');
  if (interactive && (reg.redirectUris ?? []).length === 0) {
    throw badRequest('A client using authorization_code needs at least one redirect URI', 'redirectUris');
  }
  const method: ClientAuthMethod = reg.secret ? 'client_secret_basic' : reg.jwks ? 'private_key_jwt' : 'none';
  if (method === 'none' && reg.grantTypes.includes('client_credentials')) {
    throw badRequest(
      'client_credentials needs a secret or keys (a public client cannot use it)',
      'grantTypes',
    );
  }
  // oidc-provider's `scope` holds only scopes it knows (openid, launch …); the SMART resource
  // scopes a client may ask for live in `smart_scope` and are enforced when tokens are issued.
  const { resources, other } = parseScopes(reg.scope);
  const unknown = other.filter((s) => !(launchScopes as readonly string[]).includes(s));
  if (unknown.length > 0) throw badRequest(`Unknown scope(s): ${unknown.join(', ')}`, 'scope');
  if (resources.length === 0) throw badRequest('A client needs at least one SMART resource scope', 'scope');
  return {
    client_id: reg.clientId,
    ...(reg.name ? { client_name: reg.name } : {}),
    ...(reg.secret ? { client_secret: await hashSecret(reg.secret) } : {}),
    ...(reg.jwks ? { jwks: reg.jwks } : {}),
    token_endpoint_auth_method: method,
    grant_types: reg.grantTypes,
    response_types: interactive ? ['code'] : [],
    redirect_uris: reg.redirectUris ?? [],
    ...(reg.postLogoutRedirectUris?.length ? { post_logout_redirect_uris: reg.postLogoutRedirectUris } : {}),
    ...(other.length > 0 ? { scope: other.join(' ') } : {}),
    smart_scope: resources.map((r) => r.text).join(' '),
  };
}

/** The `auth_clients` table (migration 005). */
export class ClientStore {
  constructor(private readonly db: Queryable) {}

  /** Creates or replaces a client registration. */
  async save(reg: ClientRegistration): Promise<ClientMetadata> {
    const metadata = await toClientMetadata(reg);
    await this.db.query(
      `INSERT INTO auth_clients (client_id, metadata) VALUES ($1, $2::text::jsonb)
       ON CONFLICT (client_id) DO UPDATE SET metadata = EXCLUDED.metadata, updated_at = now()`,
      [metadata.client_id, JSON.stringify(metadata)],
    );
    return metadata;
  }

  /** The stored metadata, or undefined. */
  async find(clientId: string): Promise<ClientMetadata | undefined> {
    const result = await this.db.query<{ metadata: ClientMetadata | string }>(
      'SELECT metadata FROM auth_clients WHERE client_id = $1',
      [clientId],
    );
    const row = result.rows[0];
    if (!row) return undefined;
    return typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as ClientMetadata) : row.metadata;
  }

  async list(): Promise<ClientMetadata[]> {
    const result = await this.db.query<{ metadata: ClientMetadata | string }>(
      'SELECT metadata FROM auth_clients ORDER BY client_id',
    );
    return result.rows.map((r) => (typeof r.metadata === 'string' ? JSON.parse(r.metadata) : r.metadata));
  }

  async remove(clientId: string): Promise<void> {
    const result = await this.db.query('DELETE FROM auth_clients WHERE client_id = $1', [clientId]);
    if (result.rowCount === 0) throw notFound(`No client '${clientId}'`);
  }

  /**
   * `HOSPITIUM_BOOTSTRAP_CLIENT=id:secret`: a confidential backend client with `system/*.*`.
   * Idempotent: an existing client with that secret is left alone; a changed secret is re-hashed.
   */
  async bootstrap(clientId: string, secret: string): Promise<'created' | 'updated' | 'unchanged'> {
    const existing = await this.find(clientId);
    const hashOk =
      typeof existing?.client_secret === 'string' && (await verifySecret(existing.client_secret, secret));
    if (existing && hashOk && existing.smart_scope === 'system/*.*') return 'unchanged';
    await this.save({
      clientId,
      name: 'Bootstrap backend client',
      secret,
      scope: 'system/*.*',
      grantTypes: ['client_credentials'],
    });
    return existing ? 'updated' : 'created';
  }
}

/** Parses `id:secret` (the secret may itself contain colons). */
export function parseClientPair(value: string, name: string): { clientId: string; secret: string } {
  const at = value.indexOf(':');
  if (at <= 0 || at === value.length - 1) throw badRequest(`${name} must be <client id>:<secret>`, name);
  return { clientId: value.slice(0, at), secret: value.slice(at + 1) };
}
