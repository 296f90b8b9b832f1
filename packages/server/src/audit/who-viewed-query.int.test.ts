import { createRepository, type Database, testDatabases } from '@hospitium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalAccess } from '../auth/tokens/access-context.js';
import { buildRestEvent } from './build-event.js';
import { accessesSql, auditEventsOfPatient } from './who-viewed-query.js';

describe.each(testDatabases())('who-viewed query on $name', ({ open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
    const repository = createRepository(db);
    // 2,000 events over 200 patients: a trail where one patient's events are a small part.
    const events = Array.from({ length: 2000 }, (_, i) =>
      buildRestEvent({
        requester: { access: internalAccess },
        interaction: 'read',
        action: 'R',
        status: 200,
        patients: [`p${i % 200}`],
        objects: [`Patient/p${i % 200}`],
        observer: 'http://test/fhir',
        recorded: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      }),
    );
    for (let i = 0; i < events.length; i += 500) await repository.createResources(events.slice(i, i + 500));
    await db.query('ANALYZE');
  });
  afterAll(() => db?.close());

  it('returns one patient’s events newest first, within the window', async () => {
    const all = await auditEventsOfPatient(db, { patientId: 'p7', limit: 100 });
    expect(all).toHaveLength(10);
    const times = all.map((e) => e.recorded as string);
    expect(times).toEqual([...times].sort().reverse());
    const window = await auditEventsOfPatient(db, {
      patientId: 'p7',
      since: times[6],
      until: times[2],
      limit: 100,
    });
    expect(window.map((e) => e.recorded)).toEqual(times.slice(3, 7));
    expect(await auditEventsOfPatient(db, { patientId: 'p7', limit: 3 })).toHaveLength(4); // one more: truncated
  });

  it('probes the reference index by patient instead of reading the trail', async () => {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${accessesSql}`, ['p7', null, null, 101]);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toContain('idx_reference_target_idx');
    expect(text).not.toMatch(/Seq Scan on (idx_reference|resources)/);
  });
});
