import { randomBytes } from 'node:crypto';
import { createRepository, type Database, testDatabases } from '@hospitium/db';
import { type AuthServer, createAuthServer, SecretBox } from '@hospitium/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoReport, loadDemoHospital } from './load-demo.js';

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined };

describe.each(testDatabases())('demo hospital loader on $name', ({ open }) => {
  let db: Database;
  let auth: AuthServer;
  let report: DemoReport;
  const repository = () => createRepository(db);
  const count = async (resourceType: string, filters: { code: string; values: string[] }[] = []) =>
    (await repository().search({ resourceType, filters, total: 'accurate', count: 0 })).total ?? -1;

  beforeAll(async () => {
    db = await open();
    auth = await createAuthServer({
      db,
      repository: repository(),
      fhirBaseUrl: 'http://test.hospitium/fhir',
      secrets: new SecretBox(randomBytes(32)),
    });
    report = await loadDemoHospital({
      db,
      repository: repository(),
      auth,
      baseUrl: 'http://test.hospitium/fhir',
      logger: silent,
      patients: 25,
      now: new Date('2026-06-01T08:00:00Z'),
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('loads wards, rooms and beds, the census and the population without an error', async () => {
    expect(report.errors).toBeUndefined();
    expect(report.loaded).toBe(true);
    const occupied = await count('Location', [{ code: 'operational-status', values: ['O'] }]);
    const free = await count('Location', [{ code: 'operational-status', values: ['U'] }]);
    const dirty = await count('Location', [{ code: 'operational-status', values: ['H'] }]);
    const closed = await count('Location', [{ code: 'operational-status', values: ['C'] }]);
    expect(occupied + free + dirty + closed).toBeGreaterThanOrEqual(150);
    const inHouse = await count('Encounter', [{ code: 'status', values: ['in-progress'] }]);
    expect(inHouse).toBe(occupied);
    expect(inHouse).toBe((report.census?.admitted ?? 0) + (report.census?.inEmergency ?? 0));
    expect(await count('Patient')).toBe(25);
    expect(await count('Practitioner')).toBeGreaterThanOrEqual(30);
  });

  it('creates one demo user per role, linked to their Practitioner, with the demo password', async () => {
    expect(report.users?.map((u) => u.username)).toEqual([
      'registrar',
      'bedmanager',
      'nurse',
      'physician',
      'pharmacist',
      'labtech',
      'biller',
      'admin',
    ]);
    const nurse = await auth.users.get('nurse');
    expect(nurse?.roles).toEqual(['nurse']);
    expect(nurse?.fhirUser).toMatch(/^Practitioner\//);
    const practitioner = await repository().readResource('Practitioner', nurse!.fhirUser!.split('/')[1]!);
    expect(practitioner.resourceType).toBe('Practitioner');
    expect(report.adminTotpUri).toMatch(/^otpauth:\/\/totp\//);
  });

  it('loads nothing on a database that already holds data (a restart)', async () => {
    const before = await count('Encounter');
    const again = await loadDemoHospital({
      db,
      repository: repository(),
      auth,
      baseUrl: 'http://test.hospitium/fhir',
      logger: silent,
      patients: 25,
    });
    expect(again).toEqual({ loaded: false, skipped: 'the database already holds data' });
    expect(await count('Encounter')).toBe(before);
  });
});
