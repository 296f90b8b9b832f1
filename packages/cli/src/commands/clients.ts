import { readFileSync } from 'node:fs';
import { type ClientRegistration, ClientStore } from '@hospitium/server';
import { ConfigError, type HospitiumConfig } from '../config.js';
import { openConfiguredDatabase } from '../database.js';
import { readSecret } from '../secret-input.js';

export interface ClientsOptions {
  scope?: string;
  name?: string;
  redirectUri?: string[];
  jwks?: string;
  secret?: boolean;
  public?: boolean;
}

const usage = `hospitium clients add ID --scope "SCOPES" (--secret | --jwks FILE | --public) [--redirect-uri URL]... [--name TEXT]
hospitium clients list
hospitium clients remove ID
--secret reads the client secret at a prompt (or on standard input). With --redirect-uri the
client signs users in (authorization_code + refresh_token); without, a confidential client is a backend
service (client_credentials).`;

/** `hospitium clients …`: register SMART apps and backend services. */
export async function clientsCommand(
  config: HospitiumConfig,
  args: string[],
  options: ClientsOptions,
): Promise<void> {
  const [action, id] = args;
  if (!action || (action !== 'list' && !id)) throw new ConfigError([`usage:\n${usage}`]);
  const opened = await openConfiguredDatabase(config, 'hospitium clients');
  try {
    const clients = new ClientStore(opened.db);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    switch (action) {
      case 'add': {
        const kinds = [options.secret, options.jwks !== undefined, options.public].filter(Boolean).length;
        if (!options.scope || kinds !== 1) throw new ConfigError([`usage:\n${usage}`]);
        const redirectUris = options.redirectUri ?? [];
        const confidential = !options.public;
        const registration: ClientRegistration = {
          clientId: id,
          scope: options.scope,
          redirectUris,
          grantTypes: [
            ...(redirectUris.length > 0 ? (['authorization_code', 'refresh_token'] as const) : []),
            ...(confidential && redirectUris.length === 0 ? (['client_credentials'] as const) : []),
          ],
          ...(options.name ? { name: options.name } : {}),
          ...(options.secret ? { secret: await readSecret(`Secret for ${id}: `) } : {}),
          ...(options.jwks ? { jwks: JSON.parse(readFileSync(options.jwks, 'utf8')) } : {}),
        };
        const saved = await clients.save(registration);
        out(
          `Saved client ${saved.client_id} (${String(saved.token_endpoint_auth_method)}; ${registration.grantTypes.join(', ')})`,
        );
        return;
      }
      case 'list':
        for (const c of await clients.list()) {
          const scopes = [c.scope, c.smart_scope].filter((s) => typeof s === 'string' && s !== '').join(' ');
          out(`${c.client_id.padEnd(24)} ${String(c.token_endpoint_auth_method).padEnd(20)} ${scopes}`);
        }
        return;
      case 'remove':
        await clients.remove(id);
        out(`Removed client ${id}`);
        return;
      default:
        throw new ConfigError([`unknown clients action "${action}"\n${usage}`]);
    }
  } finally {
    await opened.close();
  }
}
