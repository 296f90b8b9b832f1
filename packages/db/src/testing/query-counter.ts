import type { Database, Queryable } from '../engine/types.js';

/** A Database that counts the statements sent through it (inside transactions too), for N+1 tests. */
export function countQueries(db: Database): { db: Database; statements: string[]; reset(): void } {
  const statements: string[] = [];
  const counting = (q: Queryable): Queryable => ({
    query: (sql, params, options) => {
      statements.push(sql);
      return q.query(sql, params, options);
    },
  });
  return {
    statements,
    reset: () => {
      statements.length = 0;
    },
    db: {
      kind: db.kind,
      query: counting(db).query,
      transaction: (fn) => db.transaction((tx) => fn(counting(tx))),
      listen: (channel, onNotify) => db.listen(channel, onNotify),
      close: () => db.close(),
    },
  };
}
