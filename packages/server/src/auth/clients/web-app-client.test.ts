import { describe, expect, it } from 'vitest';
import { webAppOrigins, webAppRegistration } from './web-app-client.js';

describe('the web app client', () => {
  it('is reachable at localhost and 127.0.0.1 on a developer machine, only the public origin otherwise', () => {
    expect(webAppOrigins('http://localhost:8080/fhir')).toEqual([
      'http://localhost:8080',
      'http://127.0.0.1:8080',
    ]);
    expect(webAppOrigins('http://127.0.0.1:8080/fhir')).toEqual([
      'http://127.0.0.1:8080',
      'http://localhost:8080',
    ]);
    expect(webAppOrigins('https://his.example.org/fhir')).toEqual(['https://his.example.org']);
  });

  it('is a public client for the code flow, redirecting only to the app on those origins', () => {
    const r = webAppRegistration('https://his.example.org/fhir');
    expect(r).toMatchObject({
      clientId: 'hospitium-web',
      redirectUris: ['https://his.example.org/signed-in'],
      postLogoutRedirectUris: ['https://his.example.org/signed-out'],
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    expect(r).not.toHaveProperty('secret');
    expect(r.scope.split(' ')).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'user/*.cruds']));
    expect(r.scope).not.toMatch(/system\//);
  });
});
