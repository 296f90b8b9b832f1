import type { FastifyInstance } from 'fastify';

/**
 * `GET /` — until the clinician web app lands, a plain page that says what this server is and
 * where its API lives, rather than an error for the first person who opens the address.
 */
export function registerHomeRoute(app: FastifyInstance, baseUrl: string): void {
  const escapeHtml = (s: string) =>
    s.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
  const base = escapeHtml(baseUrl);
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hospitium</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
code{background:#f2f2f2;padding:.1rem .3rem;border-radius:3px}a{color:#0b57d0}</style></head>
<body><main>
<h1>Hospitium</h1>
<p>The hospital information system is running. This version serves the FHIR R4 API; the clinician web app comes in a later release.</p>
<ul>
<li>FHIR base: <code>${base}</code></li>
<li><a href="${base}/metadata">CapabilityStatement</a> (what the API supports)</li>
<li><a href="/healthz">Liveness</a> and <a href="/readyz">readiness</a></li>
</ul>
</main></body></html>
`;
  app.get('/', async (_request, reply) =>
    reply
      .code(200)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('x-content-type-options', 'nosniff')
      .send(page),
  );
}
