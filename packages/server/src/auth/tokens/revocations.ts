import type { Database } from '@hospitium/db';

const model = 'RevokedAccessToken';

/**
 * Revoked JWT access tokens. A JWT is valid until it expires, so revoking one means remembering
 * its `jti` until then. Kept in the database (every server process must refuse it) and mirrored
 * in memory, refreshed every few seconds, so the per-request check is a set lookup.
 */
export class RevokedTokens {
  private ids = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly refreshMs = 5000,
  ) {}

  /** True when the token id was revoked (as of the last refresh, or by this process). */
  has(jti: string | undefined): boolean {
    return jti !== undefined && this.ids.has(jti);
  }

  /** Records a revocation until the token's expiry (epoch seconds). */
  async revoke(jti: string, exp: number): Promise<void> {
    this.ids.add(jti);
    const ttl = Math.max(1, exp - Math.floor(Date.now() / 1000));
    await this.db.query(
      `INSERT INTO auth_oidc_payloads (model, id, payload, expires_at)
       VALUES ($1, $2, '{}'::jsonb, now() + make_interval(secs => $3::int))
       ON CONFLICT (model, id) DO NOTHING`,
      [model, jti, ttl],
    );
  }

  /** Reloads the unexpired revocations. */
  async refresh(): Promise<void> {
    const result = await this.db.query<{ id: string }>(
      'SELECT id FROM auth_oidc_payloads WHERE model = $1 AND expires_at > now()',
      [model],
    );
    this.ids = new Set(result.rows.map((r) => r.id));
  }

  start(onError: (err: unknown) => void): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh().catch(onError), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
