import { createRepository, openDatabase } from '@hospitium/db';
import { createApp } from '@hospitium/server';

/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of the SQL the server runs for given search requests, against the
 * loaded PostgreSQL database. The request goes through the server's own code in this process
 * (the same router, search parser and SQL compiler) over a database handle that records every
 * statement; each recorded SELECT is then explained with its parameters. Returns, per request,
 * the statements with their plans as text.
 */
export async function explainSearches(databaseUrl, requests) {
  const db = await openDatabase({ url: databaseUrl, poolSize: 2 });
  let recorded = [];
  const recording = (q) => ({
    query(sql, params) {
      recorded.push({ sql, params: params ? [...params] : [] });
      return q.query(sql, params);
    },
  });
  const handle = {
    kind: db.kind,
    ...recording(db),
    transaction: (fn) => db.transaction((tx) => fn(recording(tx))),
    close: () => db.close(),
  };
  const app = createApp({
    repository: createRepository(handle),
    config: { baseUrl: 'http://localhost/fhir' },
  });
  const out = [];
  try {
    for (const { name, path } of requests) {
      recorded = [];
      const res = await app.inject({ method: 'GET', url: `/fhir/${path}` });
      const statements = [];
      for (const { sql, params } of recorded.filter((r) => /^\s*(WITH|SELECT)\b/i.test(r.sql))) {
        const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        statements.push({
          sql: sql.replace(/\s+/g, ' ').trim(),
          params,
          plan: plan.rows.map((r) => r['QUERY PLAN']).join('\n'),
        });
      }
      out.push({ name, path, status: res.statusCode, statements });
    }
  } finally {
    await app.close();
    await db.close();
  }
  return out;
}
