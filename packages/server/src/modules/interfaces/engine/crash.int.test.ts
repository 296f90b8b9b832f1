import { createRepository, type Database, type Queryable, testDatabases } from '@hospitium/db';
import { parseMessage } from '@hospitium/hl7v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultChannel } from '../channels/channel.js';
import { searchMessages } from '../store/message-store.js';
import { admit } from '../testing/messages.js';
import { InterfaceEngine } from './engine.js';

const silent = { error() {}, warn() {}, info() {} };

/**
 * A database that goes down in the middle of a message: the statement that finishes the
 * message-store row (after the FHIR writes, before COMMIT) fails, and so does everything after
 * it until `recover()` — as when the database connection or the process dies before commit.
 */
function failingDatabase(db: Database) {
  let down = false;
  let armed = true;
  const guard = (sql: string) => {
    if (armed && sql.startsWith('INSERT INTO hl7_message') && sql.includes('processed_at')) down = true;
    if (down) throw new Error('connection terminated unexpectedly');
  };
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      guard(sql);
      return q.query(sql, params);
    },
  });
  const wrapped: Database = {
    kind: db.kind,
    query: (sql, params) => wrap(db).query(sql, params),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
  return {
    db: wrapped,
    recover() {
      down = false;
      armed = false;
    },
  };
}

describe.each(testDatabases())('a failure before commit on $name', ({ open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(() => db?.close());

  it('stores nothing, answers no AA, and the resent message is applied exactly once', async () => {
    const failing = failingDatabase(db);
    const engine = new InterfaceEngine({
      db: failing.db,
      baseUrl: 'http://test.hospitium/fhir',
      logger: silent,
    });
    const stay = { mrn: 'CRASH1', visit: 'CV1', controlId: 'CRASH-CTRL-1' };
    const first = parseMessage((await engine.receive(admit(stay), defaultChannel(0))).ack);
    expect(first.get('MSA-1')).toBe('AE');
    const repo = createRepository(db);
    const patients = () =>
      repo.search({
        resourceType: 'Patient',
        filters: [{ code: 'identifier', values: ['urn:oid:2.16.840.1.113883.19.5|CRASH1'] }],
      });
    expect((await patients()).resources).toHaveLength(0);
    expect(
      (await searchMessages(db, { controlId: 'CRASH-CTRL-1', count: 10, offset: 0 })).messages,
    ).toHaveLength(0);

    failing.recover();
    const resent = parseMessage((await engine.receive(admit(stay), defaultChannel(0))).ack);
    const again = parseMessage((await engine.receive(admit(stay), defaultChannel(0))).ack);
    expect(resent.get('MSA-1')).toBe('AA');
    expect(again.get('MSA-1')).toBe('AA');
    const found = (await patients()).resources;
    expect(found).toHaveLength(1);
    expect(found[0].meta?.versionId).toBe('1');
    const rows = (await searchMessages(db, { controlId: 'CRASH-CTRL-1', count: 10, offset: 0 })).messages;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'processed', attempts: 1, resends: 1 });
  });
});
