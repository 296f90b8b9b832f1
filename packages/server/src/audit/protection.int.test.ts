import { createRepository, type Database, sqlState, testDatabases } from '@hospitium/db';
import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalAccess } from '../auth/tokens/access-context.js';
import { testPatient } from '../testing/fixtures.js';
import { type TestServer, testServers } from '../testing/test-server.js';
import { buildRestEvent } from './build-event.js';

const event = (patientId: string): Resource =>
  buildRestEvent({
    requester: { access: internalAccess },
    interaction: 'read',
    action: 'R',
    status: 200,
    patients: [patientId],
    objects: [`Patient/${patientId}`],
    observer: 'http://test/fhir',
  });

describe.each(testServers())('AuditEvents are append-only through the API on $name', ({ start }) => {
  let s: TestServer;
  let stored: Resource;
  beforeAll(async () => {
    s = await start();
    const patient = await s.create(testPatient());
    const res = await s.post('AuditEvent', event(patient.id as string));
    expect(res.status, res.text).toBe(201); // external systems may POST their events
    stored = res.body as Resource;
  });
  afterAll(() => s?.close());

  it.each([
    ['PUT instance', () => s.put(`AuditEvent/${stored.id}`, { ...stored, outcome: '4' })],
    [
      'PATCH instance',
      () => s.patch(`AuditEvent/${stored.id}`, [{ op: 'replace', path: '/outcome', value: '4' }]),
    ],
    ['DELETE instance', () => s.delete(`AuditEvent/${stored.id}`)],
    ['conditional DELETE', () => s.delete(`AuditEvent?_id=${stored.id}`)],
    ['conditional PUT', () => s.put(`AuditEvent?_id=${stored.id}`, { ...stored, outcome: '4' })],
    ['PUT as create', () => s.put('AuditEvent/brand-new', { ...stored, id: 'brand-new' })],
  ])('%s is refused with 405 and an OperationOutcome', async (_name, act) => {
    const res = await act();
    expect(res.status).toBe(405);
    expect(res.body?.resourceType).toBe('OperationOutcome');
    expect(res.text).toContain('AuditEvents cannot be changed or deleted');
    expect((await s.get(`AuditEvent/${stored.id}`)).body).toMatchObject({
      outcome: '0',
      meta: { versionId: '1' },
    });
  });

  it('a delete inside a transaction fails the transaction; inside a batch, the entry', async () => {
    const transaction = await s.post('', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ request: { method: 'DELETE', url: `AuditEvent/${stored.id}` } }],
    });
    expect(transaction.status).toBe(405);
    const batch = await s.post('', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ request: { method: 'DELETE', url: `AuditEvent/${stored.id}` } }],
    });
    expect(batch.status).toBe(200);
    expect(
      (batch.body as unknown as { entry: { response: { status: string } }[] }).entry[0].response.status,
    ).toMatch(/^405/);
    expect((await s.get(`AuditEvent/${stored.id}`)).status).toBe(200);
  });
});

describe.each(testDatabases())('AuditEvent rows are protected by trigger on $name', ({ open }) => {
  let db: Database;
  let auditRid: number;
  beforeAll(async () => {
    db = await open();
    const repository = createRepository(db);
    const patient = await repository.createResource(testPatient());
    const stored = await repository.createResource(event(patient.id as string));
    const row = await db.query<{ rid: number }>(
      "SELECT rid FROM resources WHERE resource_type = 'AuditEvent' AND id = $1",
      [stored.id],
    );
    auditRid = Number(row.rows[0].rid);
  });
  afterAll(() => db?.close());

  const refused = async (sql: string, params: unknown[] = []): Promise<string | undefined> => {
    try {
      await db.query(sql, params);
      return undefined;
    } catch (err) {
      return sqlState(err);
    }
  };

  it.each([
    ['UPDATE resources', "UPDATE resources SET deleted = true WHERE resource_type = 'AuditEvent'"],
    ['DELETE resources', "DELETE FROM resources WHERE resource_type = 'AuditEvent'"],
    ['UPDATE history', "UPDATE resource_history SET content_text = '{}' WHERE resource_type = 'AuditEvent'"],
    ['DELETE history', "DELETE FROM resource_history WHERE resource_type = 'AuditEvent'"],
    ['DELETE reference index', "DELETE FROM idx_reference WHERE resource_type = 'AuditEvent'"],
    ['UPDATE token index', "UPDATE idx_token SET code = 'x' WHERE resource_type = 'AuditEvent'"],
    ['DELETE date index', "DELETE FROM idx_date WHERE resource_type = 'AuditEvent'"],
    [
      'retype a row into AuditEvent',
      "UPDATE resources SET resource_type = 'AuditEvent' WHERE resource_type = 'Patient'",
    ],
  ])('%s fails (SQLSTATE 42501)', async (_name, sql) => {
    expect(await refused(sql)).toBe('42501');
  });

  it('leaves the event intact and other resources changeable', async () => {
    const row = await db.query<{ deleted: boolean }>('SELECT deleted FROM resources WHERE rid = $1', [
      auditRid,
    ]);
    expect(row.rows[0].deleted).toBe(false);
    const indexRows = await db.query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM idx_reference WHERE rid = $1',
      [auditRid],
    );
    expect(indexRows.rows[0].n).toBeGreaterThan(0);
    expect(await refused("DELETE FROM resources WHERE resource_type = 'Patient'")).toBeUndefined();
  });
});
