import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where the built clinician app is and what its index page is told at serve time. */
export interface WebAppOptions {
  /** The Vite build output (`packages/web/dist`); absent or without index.html → "not built" page. */
  root?: string;
  /** Minutes of inactivity after which the app signs the user out (the session idle timeout). */
  idleMinutes?: number;
}

/**
 * The app's Content-Security-Policy: its own scripts only, no inline script, no other origin.
 * Inline styles are allowed because the component library (Mantine) sets style attributes.
 */
export const webAppCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the API and the authorization server: never answered with the app. */
export const reservedPrefixes = ['/fhir', '/auth', '/hl7', '/.well-known', '/healthz', '/readyz', '/bulk'];

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

interface StaticFile {
  body: Buffer;
  type: string;
  cache: string;
}

/**
 * `GET /` and the app's files: the clinician web app (a single-page app) with a strict CSP,
 * hashed assets cached for a year, index.html revalidated every time so a new release is picked
 * up at once. A browser navigating to any other page path gets index.html (client-side routes);
 * API clients and the reserved prefixes get the usual 404 OperationOutcome. Without a build,
 * `GET /` says so and where the API is, rather than failing.
 */
export function registerWebApp(app: FastifyInstance, baseUrl: string, options: WebAppOptions = {}): void {
  const files = options.root ? loadBuild(options.root) : undefined;
  const index = files?.get('/index.html');
  if (!files || !index) {
    app.get('/', async (_request, reply) => sendPage(reply, notBuiltPage(baseUrl), 'no-cache'));
    return;
  }
  const indexHtml = withIdleMinutes(index.body.toString('utf8'), options.idleMinutes);
  const sendIndex = (reply: FastifyReply) => sendPage(reply, indexHtml, 'no-cache');
  for (const [path, file] of files) {
    if (path === '/index.html') continue;
    app.get(path, async (_request, reply) =>
      reply
        .code(200)
        .type(file.type)
        .header('cache-control', file.cache)
        .header('x-content-type-options', 'nosniff')
        .send(file.body),
    );
  }
  app.get('/', async (_request, reply) => sendIndex(reply));
  app.get('/index.html', async (_request, reply) => sendIndex(reply));
  app.get('/*', async (request, reply) => {
    if (!isAppNavigation(request)) return reply.callNotFound();
    return sendIndex(reply);
  });
}

/** A browser asking for a page of the app: not an API path, not a missing asset, HTML accepted. */
export function isAppNavigation(request: Pick<FastifyRequest, 'url' | 'headers'>): boolean {
  const path = request.url.split('?')[0] ?? '/';
  if (reservedPrefixes.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  if (path.startsWith('/assets/') || extname(path) !== '') return false;
  return (request.headers.accept ?? '').includes('text/html');
}

function sendPage(reply: FastifyReply, html: string, cache: string): FastifyReply {
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('cache-control', cache)
    .header('content-security-policy', webAppCsp)
    .header('x-content-type-options', 'nosniff')
    .send(html);
}

/** Reads every file of the build once at start (a few hundred KB): no disk access per request. */
function loadBuild(root: string): Map<string, StaticFile> | undefined {
  try {
    if (!statSync(root).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !entry.name.endsWith('.map')) {
        const path = `/${relative(root, full).split(sep).join('/')}`;
        files.set(path, {
          body: readFileSync(full),
          type: contentTypes[extname(entry.name)] ?? 'application/octet-stream',
          // Vite puts content hashes in the names under assets/: they never change.
          cache: path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
        });
      }
    }
  };
  walk(root);
  return files;
}

/** Tells the app the idle timeout through a meta tag (no inline script under this CSP). */
export function withIdleMinutes(html: string, minutes: number | undefined): string {
  if (minutes === undefined) return html;
  return html.replace(
    '</head>',
    `<meta name="hospitium-idle-minutes" content="${Number(minutes)}">\n</head>`,
  );
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function notBuiltPage(baseUrl: string): string {
  const base = escapeHtml(baseUrl);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hospitium</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}a{color:#0b57d0}</style></head>
<body><main>
<h1>Hospitium</h1>
<p>The server is running, but the clinician web app is not built. Run <code>npm run build</code> and restart.</p>
<ul>
<li>FHIR base: <code>${base}</code></li>
<li><a href="${base}/metadata">CapabilityStatement</a> (what the API supports)</li>
<li><a href="/healthz">Liveness</a> and <a href="/readyz">readiness</a></li>
</ul>
</main></body></html>
`;
}
