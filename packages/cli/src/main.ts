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
  users ACTION …        user accounts: add, list, set-password, lock, unlock, roles, reset-totp
  clients ACTION …      OAuth clients (SMART apps, backend services): add, list, remove
  hl7 send FILE --to HOST:PORT
                        send the HL7 v2 messages of FILE (one, several, or an FHS/BHS batch)
                        over MLLP and print each ACK
  hl7 channels          list the configured inbound HL7 v2 channels
  help                  this text

Options (environment variable in brackets):
  --port N              HTTP port, default 8080 [HOSPITIUM_PORT]
  --host ADDR           listen address, default 127.0.0.1 [HOSPITIUM_HOST]
  --mllp-port N         HL7 v2 MLLP port, default 2575 [HOSPITIUM_MLLP_PORT]
  --hl7-channels FILE   HL7 v2 channels (JSON), default one channel on the MLLP port [HOSPITIUM_HL7_CHANNELS]
  --hl7-retention-days N  keep processed/acknowledged HL7 messages N days, 0 = forever, default 90
                        [HOSPITIUM_HL7_RETENTION_DAYS]
  --data DIR            embedded database directory, default ./.hospitium [HOSPITIUM_DATA]
  --database-url URL    PostgreSQL server instead of the embedded database [HOSPITIUM_DATABASE_URL]
  --base-url URL        public FHIR base URL [HOSPITIUM_BASE_URL]
  --body-limit-mb N     largest request body in MB, default 16 [HOSPITIUM_BODY_LIMIT_MB]
  --log-level LEVEL     fatal|error|warn|info|debug|trace|silent, default info [HOSPITIUM_LOG_LEVEL]
  --no-demo             do not load the demo hospital into an empty database [HOSPITIUM_DEMO=false]
  --demo-patients N     patients in the demo population, default 300 [HOSPITIUM_DEMO_PATIENTS]
  --web-dir DIR         serve the web app from DIR, default the built packages/web [HOSPITIUM_WEB_DIR]
  --cors-origins LIST   browser origins allowed to call the API, comma-separated [HOSPITIUM_CORS_ORIGINS]
  --trust-proxy         behind a TLS-terminating reverse proxy: trust X-Forwarded-* [HOSPITIUM_TRUST_PROXY]
  --session-idle-minutes N  sign-in sessions end after N idle minutes, default 15 [HOSPITIUM_SESSION_IDLE_MINUTES]
  --access-token-minutes N  access token lifetime, default 10 [HOSPITIUM_ACCESS_TOKEN_MINUTES]
  --auth-rate-limit N   sign-in/token requests per minute per address, default 120 [HOSPITIUM_AUTH_RATE_LIMIT]
  first start: HOSPITIUM_ADMIN_PASSWORD creates user admin (it-admin);
               HOSPITIUM_BOOTSTRAP_CLIENT=<id>:<secret> creates a system/*.* backend client
  users add only:
  --roles R1,R2         roles of the new account
  --fhir-user REF       Practitioner/ID or Patient/ID of the account
  --display-name TEXT   the person's name
  clients add only:
  --scope "SCOPES"      the most the client may ask for, e.g. "system/*.rs" or "launch/patient patient/*.rs openid fhirUser"
  --secret | --jwks FILE | --public   how the client authenticates (secret read at a prompt)
  --redirect-uri URL    where codes may be sent (repeatable)
  --name TEXT           the name shown on the consent page
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
  hl7 send only:
  --to HOST:PORT        the MLLP listener to send to
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
      'hl7-channels': { type: 'string' },
      'hl7-retention-days': { type: 'string' },
      to: { type: 'string' },
      data: { type: 'string' },
      'database-url': { type: 'string' },
      'base-url': { type: 'string' },
      'body-limit-mb': { type: 'string' },
      'log-level': { type: 'string' },
      'no-demo': { type: 'boolean' },
      'demo-patients': { type: 'string' },
      'web-dir': { type: 'string' },
      'cors-origins': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'session-idle-minutes': { type: 'string' },
      'access-token-minutes': { type: 'string' },
      'auth-rate-limit': { type: 'string' },
      roles: { type: 'string' },
      'fhir-user': { type: 'string' },
      'display-name': { type: 'string' },
      scope: { type: 'string' },
      secret: { type: 'boolean' },
      jwks: { type: 'string' },
      public: { type: 'boolean' },
      'redirect-uri': { type: 'string', multiple: true },
      name: { type: 'string' },
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
    case 'users': {
      const { usersCommand } = await import('./commands/users.js');
      await usersCommand(config, args, {
        roles: values.roles,
        fhirUser: values['fhir-user'],
        displayName: values['display-name'],
      });
      return 0;
    }
    case 'clients': {
      const { clientsCommand } = await import('./commands/clients.js');
      await clientsCommand(config, args, {
        scope: values.scope,
        name: values.name,
        redirectUri: values['redirect-uri'],
        jwks: values.jwks,
        secret: values.secret,
        public: values.public,
      });
      return 0;
    }
    case 'hl7': {
      const { hl7Command } = await import('./commands/hl7.js');
      return hl7Command(config, args, { to: values.to });
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
