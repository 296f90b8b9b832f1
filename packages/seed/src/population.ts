import type { Bundle } from '@hospitium/fhir';
import { generatePatientBundle } from './patient/record.js';
import { parseDate } from './patient/time.js';
import { Random } from './random/random.js';
import { drawDirectory } from './shared/directory.js';
import { sharedBundle } from './shared/shared-bundle.js';

export interface PopulationOptions {
  patients: number;
  seed?: string | number;
  /**
   * The day the records run up to (`YYYY-MM-DD`, default 2026-01-01). Fixed rather than
   * today so the same seed gives the same bytes on any day.
   */
  asOf?: string;
}

export interface Population {
  /** Organizations, Practitioners, PractitionerRoles, Locations shared by all patients (a transaction Bundle). */
  shared: Bundle;
  /** One transaction Bundle per patient, generated lazily (16K patients must not sit in memory). */
  patients(): Iterable<Bundle>;
}

/** The seed used when none is given. */
export const DEFAULT_SEED = 'hospitium';
/** The as-of date used when none is given. */
export const DEFAULT_AS_OF = '2026-01-01';
/** The largest population one call generates. */
export const MAX_PATIENTS = 1_000_000;

/** Two digits that keep the medical record numbers of different seeds apart. */
function mrnPrefix(seed: string): string {
  return String(10 + (new Random(`${seed}/mrn`).nextUint32() % 90));
}

/**
 * Generates a synthetic population in the shape Synthea writes: a shared bundle (hospital,
 * clinics, payers, practitioners) and one transaction bundle per patient, made on demand.
 * Deterministic: the same options give byte-identical bundles; patient bundles refer to shared
 * resources by identifier, so they load in any order once the shared bundle is loaded.
 */
export function generatePopulation(options: PopulationOptions): Population {
  const { patients } = options;
  if (!Number.isInteger(patients) || patients < 0 || patients > MAX_PATIENTS) {
    throw new RangeError(`patients must be an integer from 0 to ${MAX_PATIENTS} (got ${String(patients)})`);
  }
  const seed = String(options.seed ?? DEFAULT_SEED);
  const asOfText = options.asOf ?? DEFAULT_AS_OF;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOfText))
    throw new RangeError(`asOf must be a date YYYY-MM-DD (got ${asOfText})`);
  const asOf = parseDate(asOfText);
  const sharedRandom = new Random(`${seed}/shared`);
  const directory = drawDirectory(sharedRandom);
  const shared = sharedBundle(directory, sharedRandom);
  const prefix = mrnPrefix(seed);
  return {
    shared,
    *patients() {
      for (let i = 0; i < patients; i++) yield generatePatientBundle(directory, seed, i, asOf, prefix);
    },
  };
}
