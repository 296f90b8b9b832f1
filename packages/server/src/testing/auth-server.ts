import { randomBytes } from 'node:crypto';
import { createRepository, type Database, type Repository } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { type AuthServer, createAuthServer } from '../auth/auth-server.js';
import { SecretBox } from '../auth/secrets/secret-box.js';
import type { AuthSettings } from '../auth/settings.js';
import { createApp } from '../http/app.js';
import type { ServerConfig } from '../http/config.js';

/** The FHIR base the OAuth tests use; `inject` requests arrive as host `localhost:80`. */
export const authTestBaseUrl = 'http://localhost/fhir';
export const authTestOrigin = 'http://localhost';

/**
 * An app with the real authorization server, as `hospitium start` builds it. `baseUrl` is the
 * public FHIR base (tokens' audience); tests that listen on a real port pass theirs.
 */
export async function startAuthApp(
  db: Database,
  settings: Partial<AuthSettings> = {},
  config: Partial<ServerConfig> = {},
  baseUrl = authTestBaseUrl,
): Promise<{ app: FastifyInstance; auth: AuthServer; repository: Repository }> {
  const repository = createRepository(db);
  const auth = await createAuthServer({
    db,
    repository,
    fhirBaseUrl: baseUrl,
    settings,
    secrets: new SecretBox(randomBytes(32)),
  });
  const app = createApp({ repository, database: db, config: { ...config, baseUrl }, auth });
  await app.ready();
  return { app, auth, repository };
}
