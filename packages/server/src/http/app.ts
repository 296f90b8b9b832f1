import compress from '@fastify/compress';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { Database, Repository } from '@hospitium/db';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { AuditRecorder } from '../audit/recorder.js';
import type { AuditOptions } from '../audit/types.js';
import type { AppAuth } from '../auth/auth-server.js';
import { registerEmergencyAccessRoutes } from '../auth/emergency/review-routes.js';
import { createPatientAccess, type EmergencyAccessOptions } from '../auth/policy/patient-access.js';
import type { RelationshipFinderOptions } from '../auth/policy/relationships.js';
import { registerBearerAuth } from '../auth/tokens/bearer-hook.js';
import { createBulkExportService } from '../bulk/service.js';
import type { BulkExportOptions } from '../bulk/types.js';
import type { FhirContext } from '../fhir/types.js';
import { registerBedBoardEvents } from '../modules/adt/live/events-route.js';
import { BedBoardHub } from '../modules/adt/live/hub.js';
import { registerHl7Routes } from '../modules/interfaces/http/routes.js';
import type { Interfaces } from '../modules/interfaces/interfaces.js';
import { patientCandidates } from '../modules/registration/match/candidates.js';
import { registerBulkRoutes } from './bulk-routes.js';
import { defaultBodyLimit, type ServerConfig } from './config.js';
import { registerContentTypeParsers } from './content-types.js';
import { registerErrorHandlers, sendOutcome } from './errors.js';
import { registerFhirRoutes } from './fhir-routes.js';
import { registerHealthRoutes } from './health.js';
import { registerRequestLog } from './request-log.js';
import { registerWebApp, type WebAppOptions } from './web-app.js';

export interface AppOptions {
  repository: Repository;
  config: ServerConfig;
  /**
   * Identity and access: the token verifier every `/fhir` request goes through and, in the
   * product, the authorization server's routes. There is no way to run the API without it.
   */
  auth: AppAuth;
  /** A pino logger; without one the app logs nothing. */
  logger?: FastifyBaseLogger;
  /** Readiness: the database answers and migrations are current. Defaults to always ready. */
  ready?: () => Promise<boolean>;
  /**
   * The database under `repository`. With it the app serves Bulk Data `$export`: jobs live in
   * the database and a worker, started when the app is ready and stopped when it closes, runs them.
   */
  database?: Database;
  /** Bulk export tunables (page and file sizes, poll interval, lease, retention). */
  bulkExport?: Partial<BulkExportOptions>;
  /** The HL7 v2 interface engine; with `database`, its message-store API is served under `/hl7`. */
  interfaces?: Interfaces;
  /**
   * Break-the-glass settings (grant duration, shortest reason). With `database`, care
   * relationships are checked for clinical roles and grants are reviewed under `/auth/emergency-access`.
   */
  emergencyAccess?: EmergencyAccessOptions & RelationshipFinderOptions;
  /**
   * Audit settings. Every FHIR request is audited; `{ reads: false }` stops recording successful
   * reads and searches, for benchmarks of the raw store only (see audit/README.md).
   */
  audit?: AuditOptions;
  /** The clinician web app served at `/` (its build directory); without it `/` says it is not built. */
  webApp?: WebAppOptions;
}

/** Headers a browser app may read from API responses. */
const exposedHeaders = [
  'Location',
  'Content-Location',
  'ETag',
  'Last-Modified',
  'WWW-Authenticate',
  'X-Progress',
];

/**
 * The HTTP application: the FHIR API under `/fhir` (bearer token required except for
 * `metadata` and SMART discovery), the authorization server under `/auth`, `/healthz`,
 * `/readyz`, security headers, CORS, rate limits on authentication, FHIR JSON body parsing and
 * one error hook that turns every failure into an OperationOutcome. Not listening: the CLI
 * calls `listen` and `close`.
 */
export function createApp(options: AppOptions): FastifyInstance {
  const bodyLimit = options.config.bodyLimit ?? defaultBodyLimit;
  const common = {
    bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: options.config.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 2000 },
    frameworkErrors: (
      err: Error,
      request: Parameters<typeof sendOutcome>[1],
      reply: Parameters<typeof sendOutcome>[2],
    ) => sendOutcome(err, request, reply, bodyLimit),
  };
  const app: FastifyInstance = options.logger
    ? Fastify({ ...common, loggerInstance: options.logger })
    : Fastify({ ...common, logger: false });

  const ctx: Omit<FhirContext, 'access' | 'audit'> = {
    repository: options.repository,
    baseUrl: options.config.baseUrl.replace(/\/+$/, ''),
    logger: app.log,
  };
  const auditRecorder = new AuditRecorder(options.repository, options.database, ctx.baseUrl, options.audit);
  if (options.logger) registerRequestLog(app);
  // gzip for clients that ask (a ward tablet on Wi-Fi, a remote app): a 50-entry searchset shrinks
  // about tenfold, the CapabilityStatement from ~385 KB to ~30 KB. Small bodies are not worth it.
  // No brotli: at its default quality it costs more CPU per response than the network saves here.
  app.register(compress, { global: true, threshold: 2048, encodings: ['gzip', 'deflate'] });
  registerContentTypeParsers(app);
  registerErrorHandlers(app, bodyLimit);

  // One plugin at the root (not encapsulated) so that its hooks cover every route.
  const setup = async (root: FastifyInstance): Promise<void> => {
    await root.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'unsafe-inline'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      // SMART apps on other origins read the API with CORS; CORP must not block them.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    });
    const origins = options.config.corsOrigins ?? [];
    await root.register(cors, {
      origin: origins.includes('*') ? true : origins.length === 0 ? false : [...origins],
      exposedHeaders,
      maxAge: 600,
    });
    await root.register(rateLimit, { global: false });
    const rateLimitOptions = {
      rateLimit: { max: options.config.authRateLimitPerMinute ?? 120, timeWindow: '1 minute' },
    };
    registerBearerAuth(root, options.auth.verifier, ctx.baseUrl, auditRecorder);
    registerHealthRoutes(root, options.ready ?? (async () => true));
    if (options.database) {
      const bulk = createBulkExportService({
        db: options.database,
        repository: options.repository,
        baseUrl: ctx.baseUrl,
        logger: root.log,
        options: options.bulkExport,
      });
      ctx.bulkExport = bulk;
      registerBulkRoutes(root, bulk, auditRecorder);
      root.addHook('onReady', async () => bulk.start());
      root.addHook('onClose', async () => bulk.stop());
    }
    if (options.database) {
      ctx.patientAccess = createPatientAccess(options.database, options.emergencyAccess);
      ctx.patientCandidates = patientCandidates(options.database);
      registerEmergencyAccessRoutes(root, ctx.patientAccess);
    }
    if (options.database) {
      // The live bed board: one LISTEN per process, fanned out to the open boards.
      const hub = new BedBoardHub(options.database, root.log);
      registerBedBoardEvents(root, hub, ctx);
      root.addHook('onReady', async () => hub.start());
      root.addHook('onClose', async () => hub.stop());
    }
    if (options.interfaces && options.database)
      registerHl7Routes(root, options.interfaces, options.database, auditRecorder);
    registerFhirRoutes(root, ctx, auditRecorder);
    registerWebApp(root, ctx.baseUrl, options.webApp);
    options.auth.register?.(root, rateLimitOptions);
  };
  Object.assign(setup, { [Symbol.for('skip-override')]: true });
  void app.register(setup);
  return app;
}
