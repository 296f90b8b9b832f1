import pg from 'pg';

/**
 * A fresh, empty database on the PostgreSQL server for one run (`hospitium_bench_<pid>_<n>`),
 * created through `adminUrl` and dropped afterwards even when the run fails.
 */
export async function withScratchDatabase(adminUrl, fn) {
  const name = `hospitium_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // The name is made here from digits and letters only; identifiers cannot be parameters.
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    try {
      return await fn(url.toString(), name);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
