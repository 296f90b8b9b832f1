#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeJsonReport } from './report/json.js';
import { formatReport } from './report/text.js';
import { clientCredentialsToken, parseClientOption } from './run/auth.js';
import { runSuites } from './suite.js';
import { defaultScriptDirs, findPeerSuite, peerSuiteMissingReason } from './suite-dirs.js';

const usage = `Usage: npm run conformance -- --base URL [--client ID:SECRET | --token TOKEN] [--dir DIR]... [--json FILE]

  --base URL   FHIR base URL of a running server (required), e.g. http://localhost:8080/fhir
  --client ID:SECRET
               get an access token with client_credentials (scope system/*.*) from the token
               endpoint in the server's SMART configuration [HOSPITIUM_CONFORMANCE_CLIENT]
  --token T    send this bearer access token with every request
  --dir DIR    folder of TestScript JSON (repeatable); default: the peer suite's fhir-r4-base
               and bulk-data-v2 plus packages/conformance/testscripts
  --json FILE  also write the full results as JSON`;

/** The conformance CLI: runs TestScripts against a server; exit 1 when any script fails, 2 on bad usage. */
async function main(): Promise<number> {
  let values: {
    base?: string;
    dir?: string[];
    json?: string;
    client?: string;
    token?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        base: { type: 'string' },
        dir: { type: 'string', multiple: true },
        json: { type: 'string' },
        client: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values.base || !/^https?:\/\//.test(values.base)) {
    console.error(`--base URL (http or https) is required\n\n${usage}`);
    return 2;
  }
  const dirs = values.dir ?? defaultScriptDirs();
  const missing = dirs.filter((d) => !existsSync(d));
  if (missing.length > 0) {
    console.error(`No such directory: ${missing.join(', ')}`);
    return 2;
  }
  if (!values.dir && !findPeerSuite())
    console.error(`Note: ${peerSuiteMissingReason}; running own scripts only`);

  const clientOption = values.client ?? process.env.HOSPITIUM_CONFORMANCE_CLIENT;
  if (clientOption && values.token) {
    console.error(`--client and --token cannot be used together\n\n${usage}`);
    return 2;
  }
  let token = values.token;
  if (clientOption) {
    try {
      token = await clientCredentialsToken(values.base, parseClientOption(clientOption));
    } catch (err) {
      console.error(`Cannot get an access token: ${(err as Error).message}`);
      return 2;
    }
  }

  const report = await runSuites({
    base: values.base,
    dirs,
    ...(token ? { token } : {}),
    onScript: ({ result }) => process.stderr.write(result.passed ? '.' : 'F'),
  });
  process.stderr.write('\n');
  if (values.json) writeJsonReport(report, values.json);
  console.log(formatReport(report));
  return report.failed > 0 || report.scripts.length === 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
