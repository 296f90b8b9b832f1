import type { Bundle } from '@hospitium/fhir';
import { corpusDir, corpusMissingReason, listCorpus, readCorpusJson } from '@hospitium/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from '../population.js';
import { type PopulationProfile, profilePopulation } from './profile.js';

/*
 * Compares a generated population with the Synthea patients of the shared corpus: the
 * resource mix per patient and the spread of vital signs and common labs must stay within the
 * tolerances stated here (and in the package README, which quotes this comparison).
 */

/** Ratio generated ÷ corpus allowed for resources per patient, by type. */
const MIX_TOLERANCE: Record<string, [number, number]> = {
  Encounter: [0.6, 1.6],
  Claim: [0.6, 1.6],
  ExplanationOfBenefit: [0.6, 1.6],
  Immunization: [0.6, 1.6],
  DiagnosticReport: [0.6, 1.8],
  Procedure: [0.5, 2],
  Condition: [0.6, 1.6],
  MedicationRequest: [0.6, 1.6],
  AllergyIntolerance: [0.3, 3],
};

/** Synthea types the generator leaves out on purpose (see README), and ones only it writes. */
const NOT_GENERATED = ['CarePlan', 'Goal', 'ImagingStudy', 'Organization', 'Practitioner'];
const ONLY_GENERATED = ['Coverage'];

/** Vital signs and labs whose medians must be within `tolerance` (fraction) of the corpus median. */
const VALUE_TOLERANCE: Record<string, { name: string; tolerance: number }> = {
  '8302-2': { name: 'body height', tolerance: 0.1 },
  '29463-7': { name: 'body weight', tolerance: 0.15 },
  '39156-5': { name: 'BMI', tolerance: 0.15 },
  '8480-6': { name: 'systolic BP', tolerance: 0.1 },
  '8462-4': { name: 'diastolic BP', tolerance: 0.15 },
  '2339-0': { name: 'glucose', tolerance: 0.25 },
  '38483-4': { name: 'creatinine', tolerance: 0.2 },
  '718-7': { name: 'hemoglobin', tolerance: 0.1 },
  '2093-3': { name: 'total cholesterol', tolerance: 0.15 },
  '2571-8': { name: 'triglycerides', tolerance: 0.25 },
};

/** LOINC codes the corpus (Synthea 2019) does not record at all: heart and breathing rate, temperature, SpO2. */
const NOT_IN_CORPUS = ['8867-4', '9279-1', '8310-5', '2708-6'];

describe.skipIf(!corpusDir)(
  `generated population compared with the Synthea corpus${corpusDir ? '' : ` — skipped: ${corpusMissingReason}`}`,
  () => {
    let corpus: PopulationProfile;
    let generated: PopulationProfile;
    beforeAll(() => {
      const files = listCorpus('synthea', 'fhir-r4').filter(
        (f) => f.endsWith('.json.gz') && !f.startsWith('_'),
      );
      corpus = profilePopulation(files.map((f) => readCorpusJson<Bundle>('synthea', 'fhir-r4', f)));
      generated = profilePopulation(generatePopulation({ patients: 200, seed: 'corpus-compare' }).patients());
    });

    it('writes the same kinds of resources, with the known exceptions', () => {
      const corpusTypes = Object.keys(corpus.resourcesPerPatient);
      const generatedTypes = Object.keys(generated.resourcesPerPatient);
      expect(corpusTypes.filter((t) => !generatedTypes.includes(t)).sort()).toEqual(NOT_GENERATED.sort());
      expect(generatedTypes.filter((t) => !corpusTypes.includes(t)).sort()).toEqual(ONLY_GENERATED);
      expect(generated.resourcesPerPatient.Patient).toBe(1);
    });

    it('has about as many of each resource per patient as Synthea', () => {
      for (const [type, [low, high]] of Object.entries(MIX_TOLERANCE)) {
        const ratio = generated.resourcesPerPatient[type]! / corpus.resourcesPerPatient[type]!;
        expect(
          ratio,
          `${type}: ${generated.resourcesPerPatient[type]} vs ${corpus.resourcesPerPatient[type]}`,
        ).toBeGreaterThanOrEqual(low);
        expect(
          ratio,
          `${type}: ${generated.resourcesPerPatient[type]} vs ${corpus.resourcesPerPatient[type]}`,
        ).toBeLessThanOrEqual(high);
      }
      // Observations: compared on the codes Synthea records, since it records no heart rate etc.
      const extra =
        NOT_IN_CORPUS.reduce((sum, code) => sum + (generated.values[code]?.count ?? 0), 0) /
        generated.patients;
      const ratio =
        (generated.resourcesPerPatient.Observation! - extra) / corpus.resourcesPerPatient.Observation!;
      expect(ratio).toBeGreaterThan(0.7);
      expect(ratio).toBeLessThan(1.5);
      const total = (p: PopulationProfile) => Object.values(p.resourcesPerPatient).reduce((a, b) => a + b, 0);
      expect(total(generated) / total(corpus)).toBeGreaterThan(0.8);
      expect(total(generated) / total(corpus)).toBeLessThan(1.6);
    });

    it('has vital signs and lab values in the same ranges as Synthea', () => {
      for (const [code, { name, tolerance }] of Object.entries(VALUE_TOLERANCE)) {
        const ours = generated.values[code]!;
        const theirs = corpus.values[code]!;
        const off = Math.abs(ours.median - theirs.median) / theirs.median;
        expect(off, `${name} median ${ours.median} vs ${theirs.median}`).toBeLessThanOrEqual(tolerance);
        // The middle 90% of both overlap.
        expect(ours.p5, name).toBeLessThan(theirs.p95);
        expect(ours.p95, name).toBeGreaterThan(theirs.p5);
      }
    });
  },
);
