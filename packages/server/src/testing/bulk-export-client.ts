import type { FhirResult, TestServer } from './test-server.js';
import { testBaseUrl } from './test-server.js';

/** The completion manifest as a test reads it. */
export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
}

export const asyncHeaders = { prefer: 'respond-async', accept: 'application/fhir+json' };

/** The server-relative path of an absolute URL under the test base. */
export function localPath(url: string): string {
  if (!url.startsWith(testBaseUrl)) throw new Error(`not under the test base: ${url}`);
  return `/fhir${url.slice(testBaseUrl.length)}`;
}

/** Kicks off an export (GET, or POST with a Parameters body) and returns the status path; fails on anything but 202. */
export async function kickOff(s: TestServer, path: string, parameters?: unknown): Promise<string> {
  const res =
    parameters === undefined ? await s.get(path, asyncHeaders) : await s.post(path, parameters, asyncHeaders);
  if (res.status !== 202) throw new Error(`kick-off ${path} → ${res.status}: ${res.text}`);
  return localPath(res.headers['content-location'] ?? '');
}

/** Polls a status path until it stops answering 202; returns the final response. */
export async function poll(s: TestServer, statusPath: string, timeoutMs = 20_000): Promise<FhirResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await s.get(statusPath, { accept: 'application/json' });
    if (res.status !== 202) return res;
    if (Date.now() > deadline) throw new Error(`export still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Kick-off → poll → the manifest (fails unless the status ends in 200). */
export async function exportManifest(s: TestServer, path: string, parameters?: unknown): Promise<Manifest> {
  const res = await poll(s, await kickOff(s, path, parameters));
  if (res.status !== 200) throw new Error(`export ${path} ended ${res.status}: ${res.text}`);
  return res.body as unknown as Manifest;
}

/** Downloads every output file; resources by type (file order kept), checking the NDJSON media type. */
export async function download(
  s: TestServer,
  manifest: Manifest,
): Promise<Map<string, Record<string, unknown>[]>> {
  const byType = new Map<string, Record<string, unknown>[]>();
  for (const file of manifest.output) {
    const res = await downloadFile(s, file.url);
    if (res.status !== 200) throw new Error(`file ${file.url} → ${res.status}`);
    if (res.contentType !== 'application/fhir+ndjson') {
      throw new Error(`file ${file.url} has Content-Type ${res.contentType}`);
    }
    const lines = res.text.split('\n');
    if (lines.pop() !== '') throw new Error('an NDJSON file ends with a newline');
    const resources = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    if (resources.length !== file.count)
      throw new Error(`file ${file.url}: ${resources.length} lines, count ${file.count}`);
    if (resources.some((r) => r.resourceType !== file.type)) throw new Error(`file ${file.url} mixes types`);
    byType.set(file.type, [...(byType.get(file.type) ?? []), ...resources]);
  }
  return byType;
}

/** One file as raw text (the test server's JSON helpers cannot read NDJSON). */
export async function downloadFile(
  s: TestServer,
  url: string,
): Promise<{ status: number; contentType: string | undefined; text: string }> {
  const res = await s.app.inject({
    method: 'GET',
    url: localPath(url),
    headers: { accept: 'application/fhir+ndjson', authorization: `Bearer ${s.systemToken}` },
  });
  const contentType = res.headers['content-type'];
  return {
    status: res.statusCode,
    contentType: typeof contentType === 'string' ? contentType : undefined,
    text: res.body,
  };
}

/** Ids per type of a download, sorted (for order-free comparison). */
export function idsByType(byType: Map<string, Record<string, unknown>[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [type, resources] of byType) out[type] = resources.map((r) => String(r.id)).sort();
  return out;
}
