import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, startServer } from '@hospitium/cli';
import { generatePopulation } from '@hospitium/seed';
import { bootstrapClient, type FhirAdmin, fhirAdmin } from './fhir.js';

/** The built web app the server serves (`npm run build`). */
export const webDist = new URL('../../dist/', import.meta.url);

export interface DemoServer {
  /** `http://localhost:<port>` — open pages under it. */
  url: string;
  /** A backend client (`system/*.*`) for arranging the record in Given steps. */
  fhir: FhirAdmin;
  stop(): Promise<void>;
}

/**
 * How long a journey file may wait for its demo hospital (the hook timeout to pass to
 * `beforeAll`): seconds alone, minutes when `npm test` runs every suite on a busy machine.
 */
export const demoServerStartTimeout = 300_000;

/** Patients of the browser tests' demo hospital: enough for search to choose among, loaded in seconds. */
export const demoPatientCount = 12;

/**
 * A real Hospitium server, in this process, on a fresh embedded database (PGlite) in a temporary
 * directory: the demo hospital with a small census, the demo users (password `demo`), the web app
 * from `packages/web/dist`. Exactly what `npm start` runs, on a free port.
 */
export async function startDemoServer(options: { patients?: number } = {}): Promise<DemoServer> {
  if (!existsSync(new URL('index.html', webDist))) {
    throw new Error('packages/web/dist is missing: run `npm run build` before the browser tests');
  }
  const client = bootstrapClient();
  const data = mkdtempSync(join(tmpdir(), 'hospitium-web-test-'));
  const config = loadConfig({
    flags: {
      port: '0',
      'mllp-port': '0',
      data,
      'demo-patients': String(options.patients ?? demoPatientCount),
      'log-level': 'warn',
      'web-dir': fileURLToPath(webDist),
    },
    env: { HOSPITIUM_BOOTSTRAP_CLIENT: `${client.id}:${client.secret}` },
    cwd: data,
  });
  const running = await startServer(config, { handleSignals: false });
  return {
    url: running.url,
    fhir: fhirAdmin(running.url, client),
    async stop() {
      await running.stop('test finished');
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** A patient of the demo population as the tests know it (the generator is deterministic). */
export interface KnownPatient {
  family: string;
  given: string;
  birthDate: string;
  gender: string;
  mrn: string;
}

/**
 * The demo population's patients, from the same generator and seed the server loads, so a
 * journey can look for a person it knows exists without asking the server first.
 */
export function demoPatients(count = demoPatientCount): KnownPatient[] {
  const out: KnownPatient[] = [];
  for (const bundle of generatePopulation({ patients: count, seed: 'hospitium' }).patients()) {
    const p = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as
      | {
          name?: { use?: string; family?: string; given?: string[] }[];
          birthDate?: string;
          gender?: string;
          identifier?: { system?: string; value?: string }[];
          deceasedDateTime?: string;
        }
      | undefined;
    const name = p?.name?.find((n) => n.use === 'official') ?? p?.name?.[0];
    if (!p || !name?.family || !name.given?.[0] || p.deceasedDateTime) continue;
    out.push({
      family: name.family,
      given: name.given[0],
      birthDate: p.birthDate ?? '',
      gender: p.gender ?? '',
      mrn: p.identifier?.find((i) => i.system === 'http://hospitium.org/fhir/sid/mrn')?.value ?? '',
    });
  }
  return out;
}
