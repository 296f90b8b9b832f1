import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { createRepository } from '../repository/repository.js';
import type { Repository } from '../repository/types.js';
import { testDatabases } from '../testing/databases.js';
import { migrations } from './list.js';
import { migrate } from './migrate.js';

/** Resources as a database at schema 3 holds them: rows in `resources`, no text or position index. */
const stored = [
  {
    resourceType: 'Condition',
    id: 'old-1',
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Chronic <b>kidney</b> disease</p></div>',
    },
    code: { text: 'CKD stage 3' },
    subject: { reference: 'Patient/p1' },
  },
  {
    resourceType: 'Condition',
    id: 'old-2',
    code: { text: 'Kidney stone' },
    subject: { reference: 'Patient/p1' },
  },
  {
    resourceType: 'Location',
    id: 'old-loc',
    name: 'Old wing',
    position: { latitude: 51.5, longitude: -0.12 },
  },
  { resourceType: 'Location', id: 'bad-loc', name: 'Typo', position: { latitude: 510, longitude: -0.12 } },
];

describe.each(testDatabases())('migration 004 backfills full text and positions on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;

  const ids = async (resourceType: string, code: string, value: string) =>
    (
      await repo.search({
        resourceType,
        filters: [{ code, values: [value] }],
        sort: [{ code: '_id', descending: false }],
      })
    ).resources.map((r) => r.id);

  beforeAll(async () => {
    db = await open({ migrate: false });
    await migrate(
      db,
      migrations.filter((m) => m.version < 4),
    );
    for (const resource of stored) {
      const text = JSON.stringify(resource);
      await db.query(
        `INSERT INTO resources (resource_type, id, version_id, last_updated, content, content_text)
         VALUES ($1, $2, 1, now(), $3::text::jsonb, $3::text)`,
        [resource.resourceType, resource.id, text],
      );
    }
    expect(await migrate(db)).toEqual(migrations.filter((m) => m.version >= 4).map((m) => m.version));
    repo = createRepository(db);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('indexes the narrative and the strings of resources stored before it', async () => {
    expect(await ids('Condition', '_text', 'kidney')).toEqual(['old-1']);
    expect(await ids('Condition', '_text', 'ckd')).toEqual([]);
    expect(await ids('Condition', '_content', 'kidney')).toEqual(['old-1', 'old-2']);
    expect(await ids('Condition', '_content', 'ckd')).toEqual(['old-1']);
  });

  it('indexes valid Location positions only', async () => {
    expect(await ids('Location', 'near', '51.5|-0.12|1|km')).toEqual(['old-loc']);
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM idx_position');
    expect(rows.rows[0]?.n).toBe(1);
  });
});
