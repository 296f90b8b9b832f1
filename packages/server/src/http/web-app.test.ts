import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppNavigation, registerWebApp, webAppCsp, withIdleMinutes } from './web-app.js';

const html = { accept: 'text/html,application/xhtml+xml' };

describe('the web app served at /', () => {
  let root: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'hospitium-web-dist-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><html><head><title>app</title></head><body></body></html>',
    );
    writeFileSync(join(root, 'assets', 'index-Ab12Cd.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'index-Ab12Cd.js.map'), '{}');
    writeFileSync(join(root, 'favicon.svg'), '<svg/>');
    app = Fastify();
    registerWebApp(app, 'http://localhost/fhir', { root, idleMinutes: 15 });
    app.get('/fhir/metadata', async () => ({ resourceType: 'CapabilityStatement' }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html with the strict CSP, no-cache, and the idle timeout as a meta tag', async () => {
    const res = await app.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBe(webAppCsp);
    expect(webAppCsp).toContain("default-src 'self'");
    expect(webAppCsp).toContain("script-src 'self'");
    expect(webAppCsp).not.toMatch(/script-src[^;]*unsafe/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<meta name="hospitium-idle-minutes" content="15">');
  });

  it('caches hashed assets for a year and never serves source maps', async () => {
    const asset = await app.inject({ url: '/assets/index-Ab12Cd.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/favicon.svg' })).headers['cache-control']).toBe('public, max-age=3600');
    expect((await app.inject({ url: '/assets/index-Ab12Cd.js.map' })).statusCode).toBe(404);
  });

  it('answers a browser navigating to a client-side route with index.html', async () => {
    const res = await app.inject({ url: '/patients/123?tab=chart', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>app</title>');
  });

  it('never answers API paths, missing assets or non-browser clients with the app', async () => {
    expect((await app.inject({ url: '/fhir/Patient', headers: html })).statusCode).toBe(404);
    expect((await app.inject({ url: '/fhir/metadata', headers: html })).json()).toEqual({
      resourceType: 'CapabilityStatement',
    });
    expect((await app.inject({ url: '/assets/missing-123.js', headers: html })).statusCode).toBe(404);
    expect((await app.inject({ url: '/patients', headers: { accept: 'application/json' } })).statusCode).toBe(
      404,
    );
    for (const url of [
      '/auth/x',
      '/hl7/messages',
      '/.well-known/openid-configuration',
      '/healthz',
      '/readyz',
    ]) {
      expect(isAppNavigation({ url, headers: html }), url).toBe(false);
    }
    expect(isAppNavigation({ url: '/fhirish', headers: html })).toBe(true);
  });

  it('says the app is not built when the build is missing', async () => {
    const bare = Fastify();
    registerWebApp(bare, 'http://localhost/fhir', { root: join(root, 'nowhere') });
    const res = await bare.inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('the clinician web app is not built');
    expect(res.headers['content-security-policy']).toBe(webAppCsp);
    await bare.close();
  });

  it('adds the idle timeout only when configured', () => {
    expect(withIdleMinutes('<head></head>', undefined)).toBe('<head></head>');
    expect(withIdleMinutes('<head></head>', 5)).toContain('content="5"');
  });
});
