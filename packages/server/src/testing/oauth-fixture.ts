import type { Database } from '@hospitium/db';
import type { FastifyInstance } from 'fastify';
import { type AuthServer, bootstrapIdentity } from '../auth/auth-server.js';
import { startAuthApp } from './auth-server.js';
import { testObservation, testPatient } from './fixtures.js';
import { basicAuth } from './oauth-client.js';

export const appRedirect = 'http://app.test/callback';
export const staffPassword = 'a-long-enough-password';
export const backendClient = { id: 'backend', secret: 'backend-secret-0123456789' };

/** The app with the real authorization server, a backend client, a physician, a SMART app and two patients. */
export interface OAuthFixture {
  app: FastifyInstance;
  auth: AuthServer;
  patientId: string;
  otherPatientId: string;
  /** POST /auth/token with a form; status and JSON body. */
  tokenRequest(
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Authorization and content-type headers with a fresh `system/*.*` token of the backend client. */
  systemHeaders(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** `baseUrl`: the public FHIR base, for tests that listen on a real port (default: `inject`'s). */
export async function startOAuthFixture(db: Database, baseUrl?: string): Promise<OAuthFixture> {
  const { app, auth } = await startAuthApp(db, {}, {}, baseUrl);
  await bootstrapIdentity(auth, { bootstrapClient: `${backendClient.id}:${backendClient.secret}` });
  await auth.users.create({
    username: 'dr.house',
    password: staffPassword,
    roles: ['physician'],
    fhirUser: 'Practitioner/p1',
  });
  await auth.clients.save({
    clientId: 'chart-app',
    name: 'Chart viewer',
    redirectUris: [appRedirect],
    scope: 'openid fhirUser launch launch/patient offline_access patient/*.rs user/*.rs',
    grantTypes: ['authorization_code', 'refresh_token'],
  });

  const tokenRequest: OAuthFixture['tokenRequest'] = async (form, headers = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    });
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };
  const systemHeaders = async (): Promise<Record<string, string>> => {
    const res = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'system/*.*' },
      { authorization: basicAuth(backendClient.id, backendClient.secret) },
    );
    return {
      authorization: `Bearer ${String(res.body.access_token)}`,
      'content-type': 'application/fhir+json',
    };
  };

  const headers = await systemHeaders();
  const create = (payload: object) =>
    app.inject({
      method: 'POST',
      url: `/fhir/${(payload as { resourceType: string }).resourceType}`,
      headers,
      payload,
    });
  const patientId = (await create(testPatient())).json().id as string;
  const otherPatientId = (await create(testPatient())).json().id as string;
  await create(testObservation(`Patient/${patientId}`));
  // dr.house (Practitioner/p1) cares for the first patient: his role reaches its clinical data.
  await create({
    resourceType: 'CareTeam',
    status: 'active',
    subject: { reference: `Patient/${patientId}` },
    participant: [{ member: { reference: 'Practitioner/p1' } }],
  });
  return {
    app,
    auth,
    patientId,
    otherPatientId,
    tokenRequest,
    systemHeaders,
    async close() {
      await app.close();
      await db.close();
    },
  };
}
