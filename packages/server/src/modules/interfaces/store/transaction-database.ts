import type { Database, Queryable } from '@hospitium/db';

/**
 * A Database whose every statement runs in an already open transaction, so that a repository
 * made from it (and `processBundle`, which opens "its own" transaction through
 * `withTransaction`) joins that transaction. This is how the message-store row and the FHIR
 * changes of one HL7 message commit, or roll back, together.
 */
export function transactionDatabase(db: Database, tx: Queryable): Database {
  return {
    kind: db.kind,
    query: (sql, params, options) => tx.query(sql, params, options),
    transaction: (fn) => fn(tx),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: async () => undefined,
  };
}
