import { resolve } from 'node:path';

/** Patients of the demo population: a few hundred charts (about 99,000 resources, 80 s on PGlite). */
export const DEMO_PATIENTS = 300;

/**
 * The one typed configuration of a Hospitium process, from `HOSPITIUM_*` environment variables
 * and command-line flags (flags win). Validated at startup: every problem is listed at once.
 */
export interface HospitiumConfig {
  /** HTTP port for the web app and the FHIR API. */
  port: number;
  /** Interface address to listen on. Defaults to loopback until authentication is configured. */
  host: string;
  /** MLLP (HL7 v2) port of the first inbound channel. */
  mllpPort: number;
  /** HL7 v2 channels file (JSON); without one, a single channel on mllpPort takes every supported message. */
  hl7Channels: string | undefined;
  /** Days processed/acknowledged HL7 messages and delivered outbox rows are kept; 0 keeps them forever. */
  hl7RetentionDays: number;
  /** Embedded database directory (PGlite), used when no databaseUrl is set. */
  dataDir: string;
  /** PostgreSQL server URL; when set the embedded database is not used. */
  databaseUrl: string | undefined;
  /** Load the demo hospital on first start of an empty database. */
  demo: boolean;
  /** Patients in the demo population (default 300; a handful for quick trials and browser tests). */
  demoPatients: number;
  /** The built clinician web app served at `/`; undefined = the one built beside this package. */
  webDir: string | undefined;
  /** Public base URL of the FHIR API (links, Location headers). */
  baseUrl: string;
  /** True when baseUrl was configured rather than derived from host and port. */
  baseUrlConfigured: boolean;
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Identity and access. */
  auth: {
    /** `HOSPITIUM_ADMIN_PASSWORD`: the first administrator's password (user `admin`). */
    adminPassword: string | undefined;
    /** `HOSPITIUM_BOOTSTRAP_CLIENT=<id>:<secret>`: a `system/*.*` backend client. */
    bootstrapClient: string | undefined;
    /** Browser origins allowed to call the API (CORS). */
    corsOrigins: string[];
    sessionIdleMinutes: number;
    accessTokenMinutes: number;
    authRateLimitPerMinute: number;
    /** Trust X-Forwarded-* headers (behind a TLS-terminating reverse proxy). */
    trustProxy: boolean;
    /**
     * `HOSPITIUM_SECRET_KEY`: 32 bytes in base64, the key TOTP secrets are encrypted with.
     * Without it the embedded database keeps a key file in its data directory; a PostgreSQL
     * server needs it once any account has a second factor.
     */
    secretKey: string | undefined;
  };
}

export interface ConfigInput {
  flags: Partial<Record<string, string | boolean | string[] | undefined>>;
  env: Record<string, string | undefined>;
  cwd: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Builds and validates the configuration; throws ConfigError listing every problem. */
export function loadConfig({ flags, env, cwd }: ConfigInput): HospitiumConfig {
  const problems: string[] = [];
  const str = (flag: string, envName: string): string | undefined => {
    const f = flags[flag];
    if (typeof f === 'string') return f;
    const e = env[envName];
    return e === undefined || e === '' ? undefined : e;
  };
  const int = (flag: string, envName: string, fallback: number, min: number, max: number): number => {
    const raw = str(flag, envName);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`--${flag} / ${envName} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };

  const port = int('port', 'HOSPITIUM_PORT', 8080, 0, 65535);
  const mllpPort = int('mllp-port', 'HOSPITIUM_MLLP_PORT', 2575, 0, 65535);
  const bodyLimitMb = int('body-limit-mb', 'HOSPITIUM_BODY_LIMIT_MB', 16, 1, 1024);
  const host = str('host', 'HOSPITIUM_HOST') ?? '127.0.0.1';
  const dataDir = resolve(cwd, str('data', 'HOSPITIUM_DATA') ?? '.hospitium');
  const databaseUrl = str('database-url', 'HOSPITIUM_DATABASE_URL');
  const hl7ChannelsRaw = str('hl7-channels', 'HOSPITIUM_HL7_CHANNELS');
  const hl7Channels = hl7ChannelsRaw === undefined ? undefined : resolve(cwd, hl7ChannelsRaw);
  const hl7RetentionDays = int('hl7-retention-days', 'HOSPITIUM_HL7_RETENTION_DAYS', 90, 0, 36_500);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('--database-url / HOSPITIUM_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const demoEnv = env.HOSPITIUM_DEMO;
  let demo = flags['no-demo'] !== true;
  if (flags['no-demo'] !== true && demoEnv !== undefined) {
    if (!['true', 'false', '1', '0'].includes(demoEnv)) problems.push('HOSPITIUM_DEMO must be true or false');
    demo = demoEnv === 'true' || demoEnv === '1';
  }
  const demoPatients = int('demo-patients', 'HOSPITIUM_DEMO_PATIENTS', DEMO_PATIENTS, 1, 10_000);
  const webDirRaw = str('web-dir', 'HOSPITIUM_WEB_DIR');
  const webDir = webDirRaw === undefined ? undefined : resolve(cwd, webDirRaw);
  const logLevel = (str('log-level', 'HOSPITIUM_LOG_LEVEL') ?? 'info') as HospitiumConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);

  const publicHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(host) ? 'localhost' : host;
  const baseUrlRaw = str('base-url', 'HOSPITIUM_BASE_URL') ?? `http://${publicHost}:${port}/fhir`;
  let baseUrl = baseUrlRaw.replace(/\/+$/, '');
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push('--base-url must be http(s)');
  } catch {
    problems.push(`--base-url / HOSPITIUM_BASE_URL is not a URL ("${baseUrlRaw}")`);
    baseUrl = `http://localhost:${port}/fhir`;
  }

  const adminPassword = env.HOSPITIUM_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 12) {
    problems.push('HOSPITIUM_ADMIN_PASSWORD must have at least 12 characters');
  }
  const bootstrapClient = env.HOSPITIUM_BOOTSTRAP_CLIENT || undefined;
  if (bootstrapClient !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}:.{16,}$/.test(bootstrapClient)) {
    problems.push('HOSPITIUM_BOOTSTRAP_CLIENT must be <client id>:<secret of at least 16 characters>');
  }
  const secretKey = env.HOSPITIUM_SECRET_KEY || undefined;
  if (secretKey !== undefined && !isBase64Key(secretKey)) {
    problems.push('HOSPITIUM_SECRET_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)');
  }
  const corsOrigins = (str('cors-origins', 'HOSPITIUM_CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter((o) => o !== '');
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/?#]+$/.test(origin)) {
      problems.push(
        `--cors-origins / HOSPITIUM_CORS_ORIGINS: '${origin}' is not an origin (scheme://host[:port])`,
      );
    }
  }
  const sessionIdleMinutes = int('session-idle-minutes', 'HOSPITIUM_SESSION_IDLE_MINUTES', 15, 1, 24 * 60);
  const accessTokenMinutes = int('access-token-minutes', 'HOSPITIUM_ACCESS_TOKEN_MINUTES', 10, 1, 24 * 60);
  const authRateLimitPerMinute = int('auth-rate-limit', 'HOSPITIUM_AUTH_RATE_LIMIT', 120, 1, 100_000);
  const trustProxyEnv = env.HOSPITIUM_TRUST_PROXY;
  if (trustProxyEnv !== undefined && !['true', 'false', '1', '0', ''].includes(trustProxyEnv)) {
    problems.push('HOSPITIUM_TRUST_PROXY must be true or false');
  }
  const trustProxy = flags['trust-proxy'] === true || trustProxyEnv === 'true' || trustProxyEnv === '1';

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    mllpPort,
    hl7Channels,
    hl7RetentionDays,
    dataDir,
    databaseUrl,
    demo,
    demoPatients,
    webDir,
    baseUrl,
    baseUrlConfigured: str('base-url', 'HOSPITIUM_BASE_URL') !== undefined,
    bodyLimit: bodyLimitMb * 1024 * 1024,
    logLevel,
    auth: {
      adminPassword,
      bootstrapClient,
      corsOrigins,
      sessionIdleMinutes,
      accessTokenMinutes,
      authRateLimitPerMinute,
      trustProxy,
      secretKey,
    },
  };
}

function isBase64Key(value: string): boolean {
  const text = value.trim();
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === 32;
}

/** A database URL safe to print: the password is masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
