import compress from '@fastify/compress';
import type { Database, Repository } from '@hospitium/db';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { createBulkExportService } from '../bulk/service.js';
import type { BulkExportOptions } from '../bulk/types.js';
import type { FhirContext } from '../fhir/types.js';
import { registerHl7Routes } from '../modules/interfaces/http/routes.js';
import type { Interfaces } from '../modules/interfaces/interfaces.js';
import { registerBulkRoutes } from './bulk-routes.js';
import { defaultBodyLimit, type ServerConfig } from './config.js';
import { registerContentTypeParsers } from './content-types.js';
import { registerErrorHandlers, sendOutcome } from './errors.js';
import { registerFhirRoutes } from './fhir-routes.js';
import { registerHealthRoutes } from './health.js';
import { registerHomeRoute } from './home.js';
import { registerRequestLog } from './request-log.js';

export interface AppOptions {
  repository: Repository;
  config: ServerConfig;
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
}

/**
 * The HTTP application: the FHIR API under `/fhir`, `/healthz`, `/readyz`, FHIR JSON body
 * parsing and one error hook that turns every failure into an OperationOutcome. Not listening:
 * the CLI calls `listen` and `close`.
 */
export function createApp(options: AppOptions): FastifyInstance {
  const bodyLimit = options.config.bodyLimit ?? defaultBodyLimit;
  const common = {
    bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
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

  const ctx: FhirContext = {
    repository: options.repository,
    baseUrl: options.config.baseUrl.replace(/\/+$/, ''),
    logger: app.log,
  };
  if (options.logger) registerRequestLog(app);
  // gzip for clients that ask (a ward tablet on Wi-Fi, a remote app): a 50-entry searchset shrinks
  // about tenfold, the CapabilityStatement from ~385 KB to ~30 KB. Small bodies are not worth it.
  // No brotli: at its default quality it costs more CPU per response than the network saves here.
  app.register(compress, { global: true, threshold: 2048, encodings: ['gzip', 'deflate'] });
  registerContentTypeParsers(app);
  registerErrorHandlers(app, bodyLimit);
  registerHealthRoutes(app, options.ready ?? (async () => true));
  let bulk: ReturnType<typeof createBulkExportService> | undefined;
  if (options.database) {
    bulk = createBulkExportService({
      db: options.database,
      repository: options.repository,
      baseUrl: ctx.baseUrl,
      logger: app.log,
      options: options.bulkExport,
    });
    const service = bulk;
    ctx.bulkExport = service;
    app.addHook('onReady', async () => service.start());
    app.addHook('onClose', async () => service.stop());
  }
  // Routes are added once compress is loaded (plugins load in order), so they get its hooks.
  app.register(async (scope) => {
    if (bulk) registerBulkRoutes(scope, bulk);
    if (options.interfaces && options.database)
      registerHl7Routes(scope, options.interfaces, options.database);
    registerFhirRoutes(scope, ctx);
    registerHomeRoute(scope, ctx.baseUrl);
  });
  return app;
}
