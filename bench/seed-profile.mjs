// How close `hospitium seed` is to Synthea, and how fast it generates: prints Markdown tables
// (resource mix per patient side by side, value spreads, generation speed) for the seed README.
// Usage: npm run build && node bench/seed-profile.mjs [--patients N] [--seed S]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { generatePopulation, profilePopulation } from '../packages/seed/dist/index.js';
import { findCorpus, syntheaFiles } from './corpus.mjs';

const { values } = parseArgs({ options: { patients: { type: 'string' }, seed: { type: 'string' } } });
const patients = Number(values.patients ?? 1000);
const seed = values.seed ?? 'hospitium';

function speed() {
  const started = performance.now();
  let bytes = 0;
  for (const bundle of generatePopulation({ patients, seed }).patients())
    bytes += Buffer.byteLength(JSON.stringify(bundle));
  const generateAndSerialize = (performance.now() - started) / 1000;
  const again = performance.now();
  for (const _bundle of generatePopulation({ patients, seed }).patients());
  const generateOnly = (performance.now() - again) / 1000;
  return { generateOnly, generateAndSerialize, bytes };
}

const fmt = (x, d = 1) => (x === undefined ? '—' : x.toFixed(d));
const generated = profilePopulation(generatePopulation({ patients, seed }).patients());
const total = (p) => Object.values(p.resourcesPerPatient).reduce((a, b) => a + b, 0);
const corpusDir = findCorpus();
const corpus = corpusDir
  ? profilePopulation(
      syntheaFiles(corpusDir)
        .filter((f) => !f.split('/').pop().startsWith('_'))
        .map((f) =>
          JSON.parse((f.endsWith('.gz') ? gunzipSync(readFileSync(f)) : readFileSync(f)).toString('utf8')),
        ),
    )
  : undefined;

process.stdout.write(
  `Generated: ${patients} patients, seed "${seed}"; corpus: ${corpus ? `${corpus.patients} Synthea patients` : 'absent'}\n\n`,
);
process.stdout.write(
  '| resource type | Synthea corpus, per patient | generated, per patient |\n|---|---:|---:|\n',
);
const types = [
  ...new Set([
    ...Object.keys(corpus?.resourcesPerPatient ?? {}),
    ...Object.keys(generated.resourcesPerPatient),
  ]),
];
types.sort(
  (a, b) =>
    (corpus?.resourcesPerPatient[b] ?? 0) - (corpus?.resourcesPerPatient[a] ?? 0) ||
    (generated.resourcesPerPatient[b] ?? 0) - (generated.resourcesPerPatient[a] ?? 0),
);
for (const t of types)
  process.stdout.write(
    `| ${t} | ${fmt(corpus?.resourcesPerPatient[t])} | ${fmt(generated.resourcesPerPatient[t])} |\n`,
  );
process.stdout.write(`| **all** | **${fmt(corpus && total(corpus))}** | **${fmt(total(generated))}** |\n\n`);

const measures = [
  ['8302-2', 'Body height (cm)'],
  ['29463-7', 'Body weight (kg)'],
  ['39156-5', 'BMI (kg/m2)'],
  ['8480-6', 'Systolic BP (mm[Hg])'],
  ['8462-4', 'Diastolic BP (mm[Hg])'],
  ['8867-4', 'Heart rate (/min)'],
  ['9279-1', 'Respiratory rate (/min)'],
  ['2708-6', 'SpO2 (%)'],
  ['2339-0', 'Glucose (mg/dL)'],
  ['4548-4', 'HbA1c (%)'],
  ['38483-4', 'Creatinine (mg/dL)'],
  ['2093-3', 'Total cholesterol (mg/dL)'],
  ['2085-9', 'HDL (mg/dL)'],
  ['2571-8', 'Triglycerides (mg/dL)'],
  ['718-7', 'Hemoglobin (g/dL)'],
];
const spread = (s) => (s ? `${fmt(s.p5)} / ${fmt(s.median)} / ${fmt(s.p95)}` : 'not recorded');
process.stdout.write(
  '| measurement (LOINC) | Synthea corpus p5 / median / p95 | generated p5 / median / p95 |\n|---|---|---|\n',
);
for (const [code, name] of measures) {
  process.stdout.write(
    `| ${name} (${code}) | ${spread(corpus?.values[code])} | ${spread(generated.values[code])} |\n`,
  );
}

const s = speed();
const resources = Math.round(total(generated) * patients);
process.stdout.write(
  `\nSpeed (${patients} patients, ${resources} resources, one core): generate ${fmt(s.generateOnly, 2)} s ` +
    `(${Math.round(patients / s.generateOnly)} patients/s, ${Math.round(resources / s.generateOnly)} resources/s); ` +
    `generate + JSON.stringify ${fmt(s.generateAndSerialize, 2)} s (${Math.round(patients / s.generateAndSerialize)} patients/s, ` +
    `${Math.round(resources / s.generateAndSerialize)} resources/s, ${fmt(s.bytes / 1e6, 0)} MB of JSON).\n`,
);
