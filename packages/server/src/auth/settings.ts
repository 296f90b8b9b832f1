import { defaultLockoutPolicy, type LockoutPolicy } from './users/login.js';

/** Identity and access settings, part of the server configuration (loaded by the CLI). */
export interface AuthSettings {
  /** Signed-in browser sessions end after this many idle minutes (ONC automatic log-off). */
  sessionIdleMinutes: number;
  /** Lifetime of access tokens, minutes. */
  accessTokenMinutes: number;
  /** Lifetime of refresh tokens, days. */
  refreshTokenDays: number;
  lockout: LockoutPolicy;
  /** Origins allowed to call the API from a browser (CORS); empty = none. `*` = any. */
  corsOrigins: readonly string[];
  /** Sign-in and token requests allowed per client address per minute. */
  authRateLimitPerMinute: number;
  /** Trust `X-Forwarded-*` from a reverse proxy that terminates TLS. */
  trustProxy: boolean;
}

export const defaultAuthSettings: AuthSettings = {
  sessionIdleMinutes: 15,
  accessTokenMinutes: 10,
  refreshTokenDays: 30,
  lockout: defaultLockoutPolicy,
  corsOrigins: [],
  authRateLimitPerMinute: 60,
  trustProxy: false,
};
