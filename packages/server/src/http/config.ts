/** Request bodies up to 16 MB by default (large transaction bundles). */
export const defaultBodyLimit = 16 * 1024 * 1024;

/** What the HTTP layer needs to know about its deployment; loaded and validated by the CLI. */
export interface ServerConfig {
  /** Public FHIR base URL used in links, `Location` and `fullUrl`, e.g. `http://localhost:8080/fhir`. */
  baseUrl: string;
  /** Largest accepted request body in bytes (default 16 MB); larger → 413. */
  bodyLimit?: number;
  /** Browser origins allowed to call the API (CORS); empty or absent = none, `*` = any. */
  corsOrigins?: readonly string[];
  /** Requests per minute per client address on the sign-in and token endpoints (default 120). */
  authRateLimitPerMinute?: number;
  /** Behind a reverse proxy that terminates TLS: trust its X-Forwarded-* headers. */
  trustProxy?: boolean;
}
