#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';

const HELP = `Hospitium — hospital information system on one FHIR R4 record

Usage: hospitium <command> [options]

Commands:
  start                 serve the web app and FHIR API (migrates the database first)
  import FILE|DIR…      import FHIR Bundles (transaction, batch, collection) and NDJSON, plain or .gz
  migrate               apply pending database migrations and print the schema version
  seed --patients N     generate a synthetic population and load it (or write it with --out DIR)
  help                  this text

Options (environment variable in brackets):
  --port N              HTTP port, default 8080 [HOSPITIUM_PORT]
  --host ADDR           listen address, default 127.0.0.1 [HOSPITIUM_HOST]
  --mllp-port N         HL7 v2 MLLP port, default 2575 [HOSPITIUM_MLLP_PORT]
  --data DIR            embedded database directory, default ./.hospitium [HOSPITIUM_DATA]
  --database-url URL    PostgreSQL server instead of the embedded database [HOSPITIUM_DATABASE_URL]
  --base-url URL        public FHIR base URL [HOSPITIUM_BASE_URL]
  --body-limit-mb N     largest request body in MB, default 16 [HOSPITIUM_BODY_LIMIT_MB]
  --log-level LEVEL     fatal|error|warn|info|debug|trace|silent, default info [HOSPITIUM_LOG_LEVEL]
  --no-demo             do not load the demo hospital into an empty database [HOSPITIUM_DEMO=false]
  import only:
  --concurrency N       files imported at once (default 1 embedded, 4 on a server)
  --report FILE         write the import summary and every error as JSON
  --no-progress         no progress bar (import and seed)
  seed only:
  --patients N          how many patients to generate (1 to 1000000)
  --seed S              any text or number; the same seed gives the same population (default "hospitium")
  --as-of YYYY-MM-DD    the day the records run up to (default 2026-01-01)
  --out DIR             write transaction Bundles (one file per patient, _shared.json first) instead of loading
  (--concurrency and --report work as for import)
`;

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new ConfigError(['--concurrency must be an integer from 1 to 64']);
  }
  return concurrency;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'mllp-port': { type: 'string' },
      data: { type: 'string' },
      'database-url': { type: 'string' },
      'base-url': { type: 'string' },
      'body-limit-mb': { type: 'string' },
      'log-level': { type: 'string' },
      'no-demo': { type: 'boolean' },
      concurrency: { type: 'string' },
      report: { type: 'string' },
      'no-progress': { type: 'boolean' },
      patients: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (!command || command === 'help' || values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig({ flags: values, env: process.env, cwd: process.cwd() });
  switch (command) {
    case 'start': {
      const { startCommand } = await import('./commands/start.js');
      await startCommand(config);
      return -1; // keep running until a signal
    }
    case 'import': {
      if (args.length === 0) throw new ConfigError(['import needs at least one FILE or DIR']);
      const { expandInputs, importCommand } = await import('./commands/import.js');
      const files = expandInputs(args, process.cwd());
      const concurrency = parseConcurrency(values.concurrency);
      const summary = await importCommand(config, {
        files,
        concurrency,
        reportFile: values.report,
        progress: values['no-progress'] !== true && process.stderr.isTTY === true,
      });
      return summary.errors.length > 0 ? 1 : 0;
    }
    case 'seed': {
      const { parseSeedFlags, seedCommand } = await import('./commands/seed.js');
      const flags = parseSeedFlags(values);
      const result = await seedCommand(config, {
        ...flags,
        concurrency: parseConcurrency(values.concurrency),
        reportFile: values.report,
        progress: values['no-progress'] !== true && process.stderr.isTTY === true,
      });
      return 'errors' in result && result.errors.length > 0 ? 1 : 0;
    }
    case 'migrate': {
      const { migrateCommand } = await import('./commands/migrate.js');
      await migrateCommand(config);
      return 0;
    }
    default:
      throw new ConfigError([`unknown command "${command}" (try: hospitium help)`]);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(err as Error).message}\n(try: hospitium help)\n`);
    } else process.stderr.write(`hospitium: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
