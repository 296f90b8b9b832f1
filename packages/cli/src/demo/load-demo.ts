import type { Database, Repository } from '@hospitium/db';
import type { Bundle } from '@hospitium/fhir';
import {
  type CensusPatient,
  type CensusSummary,
  censusPatient,
  demoCensus,
  demoHospital,
  generatePopulation,
  SYSTEMS,
} from '@hospitium/seed';
import { type AuthServer, type FhirLogger, internalAccess, processBundle } from '@hospitium/server';
import { DEMO_PATIENTS } from '../config.js';
import { type ImportSummary, importBundles, type NamedBundle } from '../import/importer.js';
import { createProgressBar } from '../import/progress.js';

/** The demo users' password (demo mode only; printed at start). */
export const DEMO_PASSWORD = 'demo';

export interface DemoReport {
  loaded: boolean;
  /** Why nothing was loaded (the database already holds data). */
  skipped?: string;
  patients?: number;
  resources?: number;
  seconds?: number;
  census?: CensusSummary;
  users?: { username: string; roles: string[]; display: string }[];
  /** The demo admin's TOTP enrolment URI (it-admin needs a second factor), shown once. */
  adminTotpUri?: string;
  errors?: string[];
}

/** True when the database holds no resource at all: the first start. */
async function isEmpty(db: Database): Promise<boolean> {
  const result = await db.query('SELECT 1 FROM resources LIMIT 1');
  return result.rows.length === 0;
}

/**
 * Loads the demo hospital into an empty database: the shared directory, the wards, rooms, beds
 * and staff, a population of `patients` from the product's own generator, the day's census
 * (admitted and ED patients on beds, dirty beds, booked elective visits) and one demo user per
 * role linked to their Practitioner. Nothing is loaded when the database already holds data, so a
 * restart never loads it twice. Deterministic for a seed (times are relative to `now`).
 */
export async function loadDemoHospital(options: {
  db: Database;
  repository: Repository;
  auth: AuthServer;
  baseUrl: string;
  logger: FhirLogger;
  seed?: string;
  patients?: number;
  now?: Date;
  progress?: boolean;
  concurrency?: number;
  /** Told once loading starts (it takes a minute or two on the embedded database). */
  onStart?: () => void;
}): Promise<DemoReport> {
  const { db, repository, auth } = options;
  if (!(await isEmpty(db))) return { loaded: false, skipped: 'the database already holds data' };
  options.onStart?.();
  const patients = options.patients ?? DEMO_PATIENTS;
  const seed = options.seed ?? 'hospitium';
  const ctx = { repository, baseUrl: options.baseUrl, logger: options.logger, access: internalAccess };
  const process_ = (bundle: Bundle) => processBundle(bundle, ctx, { prefer: 'return=minimal' });
  const population = generatePopulation({ patients, seed });
  const hospital = demoHospital(seed);
  const errors: string[] = [];
  const summaries: ImportSummary[] = [];
  const run = async (bundles: Iterable<NamedBundle>, concurrency = 1) => {
    const summary = await importBundles(bundles, process_, { concurrency });
    summaries.push(summary);
    errors.push(...summary.errors.map((e) => `${e.file}: ${e.message}`));
    return summary;
  };

  await run([
    { name: 'demo-shared', bundle: population.shared },
    { name: 'demo-hospital', bundle: hospital.bundle },
  ]);
  if (errors.length > 0) return { loaded: false, errors };

  const census: CensusPatient[] = [];
  function* patientBundles(): Iterable<NamedBundle> {
    let i = 0;
    for (const bundle of population.patients()) {
      const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource;
      const facts = patient ? censusPatient(patient) : undefined;
      if (facts) census.push(facts);
      yield { name: `demo-patient-${++i}`, bundle };
    }
  }
  const bar = createProgressBar({
    label: 'demo hospital',
    total: patients,
    enabled: options.progress ?? false,
    value: (p) => p.bundles,
  });
  const loaded = await importBundles(patientBundles(), process_, {
    concurrency: options.concurrency ?? 1,
    onProgress: (p) => bar.update(p),
  });
  bar.stop();
  summaries.push(loaded);
  errors.push(...loaded.errors.map((e) => `${e.file}: ${e.message}`));

  const day = demoCensus({ hospital, patients: census, now: options.now ?? new Date(), seed });
  await run([{ name: 'demo-census', bundle: day.bundle }]);

  const users: DemoReport['users'] = [];
  let adminTotpUri: string | undefined;
  for (const user of hospital.users) {
    if (await auth.users.exists(user.username)) continue;
    const found = await repository.search({
      resourceType: 'Practitioner',
      filters: [{ code: 'identifier', values: [`${SYSTEMS.npi}|${user.npi}`] }],
    });
    const practitioner = found.resources[0];
    const created = await auth.users.create({
      username: user.username,
      password: DEMO_PASSWORD,
      roles: user.roles,
      displayName: user.displayName,
      ...(practitioner?.id ? { fhirUser: `Practitioner/${practitioner.id}` } : {}),
      demo: true,
    });
    if (created.totpUri) adminTotpUri = created.totpUri;
    users.push({ username: user.username, roles: user.roles, display: user.displayName });
  }
  return {
    loaded: true,
    patients,
    resources: summaries.reduce((n, s) => n + s.resources, 0),
    seconds: summaries.reduce((n, s) => n + s.seconds, 0),
    census: day.summary,
    users,
    ...(adminTotpUri ? { adminTotpUri } : {}),
    ...(errors.length > 0 ? { errors } : {}),
  };
}
