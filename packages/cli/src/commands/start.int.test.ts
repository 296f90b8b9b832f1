import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@hospitium/db';
import { afterAll, describe, expect, it } from 'vitest';
import { backendToken, runHospitium, startHospitium, testClient, testClientEnv } from '../testing/process.js';

/**
 * `hospitium start` as a real process on the embedded database: health, a restart keeps
 * everything, SIGTERM lets an in-flight request finish, a second process is kept out, and a
 * database from a newer Hospitium is refused.
 */
const root = mkdtempSync(join(tmpdir(), 'hospitium-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fhirJson = { 'content-type': 'application/fhir+json' };

function transactionOf(count: number) {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: Array.from({ length: count }, (_, i) => ({
      fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resource: { resourceType: 'Patient', identifier: [{ system: 'urn:test:mrn', value: `MRN${i}` }] },
      request: { method: 'POST', url: 'Patient' },
    })),
  };
}

describe('hospitium start (embedded database)', () => {
  const data = join(root, 'data');

  it('serves health and FHIR, stops cleanly on SIGTERM, and a restart keeps the data', async () => {
    const first = await startHospitium(['--data', data, '--no-demo'], {
      ...testClientEnv,
      HOSPITIUM_ADMIN_PASSWORD: 'first-start-Passw0rd!',
    });
    expect(first.output()).toMatch(/user "admin" created \(it-admin\)/);
    expect(first.output()).toMatch(/otpauth:\/\/totp\/Hospitium:admin/);
    expect(first.output()).toContain(`backend client "${testClient.id}" created`);
    expect(first.output()).not.toContain('first-start-Passw0rd!');
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${first.url}/fhir/Patient`)).status).toBe(401);
    const token = { authorization: `Bearer ${await backendToken(first.url)}` };
    const created = await fetch(`${first.url}/fhir/Patient`, {
      method: 'POST',
      headers: { ...fhirJson, ...token },
      body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Restart' }] }),
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    expect(location.startsWith(`${first.url}/fhir/Patient/`)).toBe(true);
    const id = ((await created.json()) as { id: string }).id;

    // A second process on the same embedded database is refused while the first runs.
    const second = runHospitium(['start', '--port', '0', '--data', data]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by process/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/database closed cleanly/);

    // The bootstrap is idempotent. (The new port makes a new FHIR base, so a new token.)
    const again = await startHospitium(['--data', data], {
      ...testClientEnv,
      HOSPITIUM_ADMIN_PASSWORD: 'first-start-Passw0rd!',
    });
    expect(again.output()).toContain(`backend client "${testClient.id}" unchanged`);
    expect(again.output()).not.toMatch(/otpauth/);
    const read = await fetch(`${again.url}/fhir/Patient/${id}`, {
      headers: { authorization: `Bearer ${await backendToken(again.url)}` },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id, name: [{ family: 'Restart' }] });
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('finishes an in-flight transaction on SIGTERM before closing the database', async () => {
    const dir = join(root, 'inflight');
    const server = await startHospitium(['--data', dir, '--no-demo'], testClientEnv);
    const pending = fetch(`${server.url}/fhir`, {
      method: 'POST',
      headers: { ...fhirJson, authorization: `Bearer ${await backendToken(server.url)}` },
      body: JSON.stringify(transactionOf(400)),
    });
    await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGTERM');
    const response = await pending;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { entry: unknown[] };
    expect(body.entry).toHaveLength(400);
    expect(await server.exited).toBe(0);

    const reopened = await startHospitium(['--data', dir], testClientEnv);
    const search = await fetch(`${reopened.url}/fhir/Patient?_count=0&_total=accurate`, {
      headers: { authorization: `Bearer ${await backendToken(reopened.url)}` },
    });
    expect(((await search.json()) as { total: number }).total).toBe(400);
    reopened.child.kill('SIGTERM');
    await reopened.exited;
  });

  it('refuses a database migrated by a newer Hospitium, leaving it untouched', async () => {
    const dir = join(root, 'newer');
    const server = await startHospitium(['--data', dir, '--no-demo']);
    server.child.kill('SIGTERM');
    await server.exited;
    const db = await openDatabase({ dataDir: dir });
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')");
    await db.close();

    const refused = runHospitium(['start', '--port', '0', '--data', dir]);
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/newer/i);
  });

  it('lists every configuration problem and exits non-zero', async () => {
    const bad = runHospitium(['start', '--port', 'abc', '--database-url', 'mysql://x']);
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/--port/);
    expect(bad.output()).toMatch(/postgres:\/\//);
  });
});
