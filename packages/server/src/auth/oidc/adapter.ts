import type { Database } from '@hospitium/db';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { ClientStore } from '../clients/client-store.js';

/**
 * oidc-provider's storage on our database (`auth_oidc_payloads`, one row per model instance:
 * sessions, interactions, grants, authorization codes, refresh tokens …), the same SQL on PGlite
 * and PostgreSQL. Clients come from `auth_clients`, read-only here. Expired rows are invisible
 * and swept now and then.
 */
export function createAdapterFactory(db: Database, clients: ClientStore): (model: string) => Adapter {
  let writes = 0;
  const sweep = async () => {
    if (++writes % 200 !== 0) return;
    await db.query('DELETE FROM auth_oidc_payloads WHERE expires_at < now()');
  };

  return (model: string): Adapter => {
    if (model === 'Client') return clientAdapter(clients);
    const findBy = async (column: 'id' | 'uid' | 'user_code', value: string) => {
      const result = await db.query<{ payload: AdapterPayload | string; consumed_at: Date | string | null }>(
        `SELECT payload, consumed_at FROM auth_oidc_payloads
         WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now())`,
        [model, value],
      );
      const row = result.rows[0];
      if (!row) return undefined;
      const payload =
        typeof row.payload === 'string' ? (JSON.parse(row.payload) as AdapterPayload) : row.payload;
      return row.consumed_at
        ? { ...payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) }
        : payload;
    };
    return {
      async upsert(id, payload, expiresIn) {
        await db.query(
          `INSERT INTO auth_oidc_payloads (model, id, payload, grant_id, uid, user_code, expires_at)
           VALUES ($1, $2, $3::text::jsonb, $4, $5, $6,
                   CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
           ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
             uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at`,
          [
            model,
            id,
            JSON.stringify(payload),
            payload.grantId ?? null,
            payload.uid ?? null,
            payload.userCode ?? null,
            expiresIn ? Math.ceil(expiresIn) : null,
          ],
        );
        await sweep();
      },
      find: (id) => findBy('id', id),
      findByUid: (uid) => findBy('uid', uid),
      findByUserCode: (userCode) => findBy('user_code', userCode),
      async consume(id) {
        await db.query('UPDATE auth_oidc_payloads SET consumed_at = now() WHERE model = $1 AND id = $2', [
          model,
          id,
        ]);
      },
      async destroy(id) {
        await db.query('DELETE FROM auth_oidc_payloads WHERE model = $1 AND id = $2', [model, id]);
      },
      async revokeByGrantId(grantId) {
        await db.query('DELETE FROM auth_oidc_payloads WHERE grant_id = $1', [grantId]);
      },
    };
  };
}

function clientAdapter(clients: ClientStore): Adapter {
  const readOnly = async () => {
    throw new Error('Clients are managed with `hospitium clients`, not through the OAuth server');
  };
  return {
    find: async (id) => (await clients.find(id)) as AdapterPayload | undefined,
    upsert: readOnly,
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: readOnly,
  };
}
