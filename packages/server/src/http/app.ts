import type { Database, Repository } from '@hospitium/db';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
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
  registerContentTypeParsers(app);
  registerErrorHandlers(app, bodyLimit);
  registerHealthRoutes(app, options.ready ?? (async () => true));
  if (options.database) {
    const bulk = createBulkExportService({
      db: options.database,
      repository: options.repository,
      baseUrl: ctx.baseUrl,
      logger: app.log,
      options: options.bulkExport,
    });
    ctx.bulkExport = bulk;
    registerBulkRoutes(app, bulk);
    app.addHook('onReady', async () => bulk.start());
    app.addHook('onClose', async () => bulk.stop());
  }
  if (options.interfaces && options.database) registerHl7Routes(app, options.interfaces, options.database);
  registerFhirRoutes(app, ctx);
  registerHomeRoute(app, ctx.baseUrl);
  return app;
}
