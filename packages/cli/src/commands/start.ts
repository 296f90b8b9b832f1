import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createRepository, schemaStatus } from '@hospitium/db';
import { getSearchParameters, preloadValidator, releaseDefinitionFiles } from '@hospitium/fhir';
import {
  type AuthServer,
  type BootstrapReport,
  bedBoardListener,
  bootstrapIdentity,
  createApp,
  createAuthServer,
  Interfaces,
  type ListeningChannel,
} from '@hospitium/server';
import { type HospitiumConfig, redactUrl } from '../config.js';
import { openConfiguredDatabase } from '../database.js';
import { DEMO_PASSWORD, type DemoReport, loadDemoHospital } from '../demo/load-demo.js';
import { loadChannels } from '../hl7-channels.js';
import { createLogger } from '../logger.js';
import { openSecretKey } from '../secret-key.js';

/**
 * The clinician web app built beside this package (`packages/web/dist`, by `npm run build`);
 * the same relative place from the compiled `dist/commands` and from the sources.
 */
export const builtWebApp = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** How long in-flight requests get to finish on SIGINT/SIGTERM before the process gives up. */
const DRAIN_TIMEOUT_MS = 30_000;

export interface RunningServer {
  url: string;
  /** The MLLP listeners, one per inbound channel. */
  mllp: ListeningChannel[];
  stop(reason: string): Promise<void>;
}

/** `--port 0` picks a free port up front, so the FHIR base URL in links and Location headers is right. */
async function resolvePort(config: HospitiumConfig): Promise<HospitiumConfig> {
  if (config.port !== 0) return config;
  const port = await new Promise<number>((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, config.host, () => {
      const address = probe.address();
      probe.close(() => resolvePromise(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const baseUrl = config.baseUrlConfigured
    ? config.baseUrl
    : config.baseUrl.replace(/:0\/fhir$/, `:${port}/fhir`);
  return { ...config, port, baseUrl };
}

/**
 * `hospitium start`: open (and migrate) the database, serve the FHIR API, and shut down cleanly
 * on SIGINT/SIGTERM — stop accepting, let in-flight requests finish, close the database.
 */
export async function startServer(
  requested: HospitiumConfig,
  options: { handleSignals?: boolean } = {},
): Promise<RunningServer> {
  const config = await resolvePort(requested);
  const channels = loadChannels(config);
  const logger = createLogger(config.logLevel);
  // Load the R4 definitions before the first request rather than during it, then free the raw files.
  preloadValidator();
  getSearchParameters('Patient');
  releaseDefinitionFiles();
  const opened = await openConfiguredDatabase(config, 'hospitium start');
  // The interfaces first: writes of every repository queue outbound HL7 events (the outbox).
  const interfaces = new Interfaces({
    db: opened.db,
    baseUrl: config.baseUrl,
    logger,
    channels: channels.inbound,
    outbound: channels.outbound,
    retentionDays: config.hl7RetentionDays,
    onChange: bedBoardListener,
  });
  const repository = createRepository(opened.db, interfaces.repositoryOptions);
  let auth: AuthServer;
  let bootstrap: BootstrapReport;
  let secretKey: ReturnType<typeof openSecretKey>;
  let demo: DemoReport | undefined;
  try {
    secretKey = openSecretKey(config);
    auth = await createAuthServer({
      db: opened.db,
      repository,
      fhirBaseUrl: config.baseUrl,
      secrets: secretKey?.box,
      settings: {
        sessionIdleMinutes: config.auth.sessionIdleMinutes,
        accessTokenMinutes: config.auth.accessTokenMinutes,
        trustProxy: config.auth.trustProxy,
      },
    });
    bootstrap = await bootstrapIdentity(auth, {
      adminPassword: config.auth.adminPassword,
      bootstrapClient: config.auth.bootstrapClient,
    });
    if (config.demo) {
      demo = await loadDemoHospital({
        onStart: () =>
          process.stdout.write('Loading the demo hospital into the empty database (first start only)…\n'),
        db: opened.db,
        repository,
        auth,
        baseUrl: config.baseUrl,
        logger,
        patients: config.demoPatients,
        progress: process.stdout.isTTY === true,
        concurrency: config.databaseUrl ? 4 : 1,
      });
      for (const problem of demo.errors ?? []) logger.warn({ problem }, 'demo hospital: a bundle failed');
    }
  } catch (err) {
    await opened.close();
    throw err;
  }
  const app = createApp({
    interfaces,
    repository,
    database: opened.db,
    config: {
      baseUrl: config.baseUrl,
      bodyLimit: config.bodyLimit,
      corsOrigins: config.auth.corsOrigins,
      authRateLimitPerMinute: config.auth.authRateLimitPerMinute,
      trustProxy: config.auth.trustProxy,
    },
    auth,
    logger,
    webApp: { root: config.webDir ?? builtWebApp, idleMinutes: config.auth.sessionIdleMinutes },
    ready: async () => {
      try {
        const status = await schemaStatus(opened.db);
        return status.pending.length === 0;
      } catch {
        return false;
      }
    },
  });

  let address: string;
  let listening: ListeningChannel[];
  try {
    address = await app.listen({ port: config.port, host: config.host });
    listening = await interfaces.listen(config.host);
  } catch (err) {
    await interfaces.close().catch(() => undefined);
    await app.close().catch(() => undefined);
    await opened.close();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      process.stdout.write(`Hospitium stopping (${reason}): finishing in-flight requests…\n`);
      const timer = setTimeout(() => {
        logger.error('in-flight requests did not finish in time; closing the database anyway');
        void opened.close().finally(() => process.exit(1));
      }, DRAIN_TIMEOUT_MS);
      timer.unref();
      // Fastify closes the connections that are idle when close starts; a keep-alive connection
      // whose request was still in flight becomes idle later (a streamed, compressed response
      // does not get `Connection: close`), and would hold the close open until the keep-alive
      // timeout. Keep closing idle connections until close completes.
      const sweeper = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        // MLLP first: messages in flight finish and get their ACK before the database closes.
        await interfaces.close();
        await app.close();
      } finally {
        clearInterval(sweeper);
        await opened.close();
        clearTimeout(timer);
        process.stdout.write('Hospitium stopped; database closed cleanly.\n');
      }
    })();
    return stopping;
  };

  if (options.handleSignals !== false) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (stopping) {
          logger.warn(`${signal} again: still closing the database, please wait`);
          return;
        }
        void stop(signal).then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'error during shutdown');
            process.exit(1);
          },
        );
      });
    }
  }

  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const lines = [
    '',
    `  Hospitium is running`,
    `    web app        ${url}/`,
    `    FHIR API       ${config.baseUrl}`,
    `    health         ${url}/healthz  ${url}/readyz`,
    `    sign-in        ${auth.issuer} (SMART configuration at ${config.baseUrl}/.well-known/smart-configuration)`,
    ...bootstrapLines(bootstrap),
    ...secretKeyLines(secretKey, auth.secrets.sealed),
    ...listening.map(
      (c) =>
        `    HL7 v2 MLLP    ${config.host === '0.0.0.0' ? '*' : config.host}:${c.port} (channel ${c.name})`,
    ),
    ...channels.outbound.map(
      (c) => `    HL7 v2 out     ${c.host}:${c.port} (channel ${c.name}: ${c.events.join(', ')})`,
    ),
    `    HL7 messages   ${url}/hl7/messages`,
    `    database       ${config.databaseUrl ? redactUrl(config.databaseUrl) : opened.description}`,
    ...demoLines(demo),
    config.host === '127.0.0.1' || config.host === 'localhost'
      ? '    listening on this machine only (--host to change)'
      : `    listening on ${config.host}: serve it over TLS (see the README) before real patient data`,
    '  Press Ctrl+C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return { url, mllp: listening, stop };
}

/** What the demo loader did, for the banner (demo users and their password are printed here). */
function demoLines(report: DemoReport | undefined): string[] {
  if (!report) return ['    demo hospital  off (--no-demo)'];
  if (!report.loaded) {
    return [
      `    demo hospital  not loaded: ${report.skipped ?? `${report.errors?.length ?? 0} bundle(s) failed (see the log)`}`,
    ];
  }
  const c = report.census;
  const lines = [
    `    demo hospital  ${report.patients} patients, ${c?.admitted ?? 0} admitted, ${c?.inEmergency ?? 0} in the ED, ` +
      `${c?.appointments ?? 0} elective visits booked (${report.resources} resources in ${report.seconds?.toFixed(0)} s)`,
  ];
  if (report.users && report.users.length > 0) {
    lines.push(
      `    demo users     ${report.users.map((u) => u.username).join(', ')} (password "${DEMO_PASSWORD}"; demo only)`,
    );
  }
  if (report.adminTotpUri) {
    lines.push(
      '                   the demo "admin" needs a second factor; add this to an authenticator app:',
    );
    lines.push(`                   ${report.adminTotpUri}`);
  }
  return lines;
}

/** Where the key of encrypted secrets comes from (never the key), and what was encrypted now. */
function secretKeyLines(key: ReturnType<typeof openSecretKey>, sealed: number): string[] {
  const lines: string[] = [];
  if (key?.origin.kind === 'file' && key.origin.created) {
    lines.push(`    secret key     created ${key.origin.path} (0600): back it up with the database`);
  }
  if (sealed > 0)
    lines.push(`    secret key     encrypted ${sealed} TOTP secret(s) stored in clear by an older version`);
  return lines;
}

/** What bootstrap did, for the banner. The TOTP enrolment URI is printed once here and never logged. */
function bootstrapLines(report: BootstrapReport): string[] {
  const lines: string[] = [];
  if (report.admin === 'created') {
    lines.push('    admin          user "admin" created (it-admin) with HOSPITIUM_ADMIN_PASSWORD');
    if (report.adminTotpUri) {
      lines.push('                   add this to an authenticator app now (shown once):');
      lines.push(`                   ${report.adminTotpUri}`);
    }
  }
  if (report.client) {
    lines.push(
      `    backend client "${report.client.clientId}" ${report.client.result} (system/*.*, client_credentials)`,
    );
  }
  return lines;
}

export async function startCommand(config: HospitiumConfig): Promise<void> {
  await startServer(config);
}
