import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { findCorpus, syntheaFiles } from '../corpus.mjs';

/**
 * Where the benchmark's patients come from: the product's own generator (`@hospitium/seed`,
 * deterministic for a seed) or, with `source: 'corpus'`, the shared corpus's Synthea bundles
 * (30 patients: a cross-check against real Synthea output, not a scale test).
 * Returns `{ source, patients, shared: Bundle[], patientBundles(): Iterable<Bundle> }`.
 */
export async function openPopulation({ source, patients, seed }) {
  if (source === 'corpus') return corpusPopulation(patients);
  let seedModule;
  try {
    seedModule = await import('@hospitium/seed');
  } catch (err) {
    if (source === 'generator') {
      throw new Error(`the population generator (@hospitium/seed) is not built: ${err.message}`);
    }
    process.stderr.write('bench: @hospitium/seed is not available; using the corpus Synthea bundles\n');
    return corpusPopulation(patients);
  }
  const population = seedModule.generatePopulation({ patients, seed });
  return {
    source: `generator (@hospitium/seed, seed ${seed})`,
    patients,
    shared: [population.shared],
    patientBundles: () => population.patients(),
  };
}

function corpusPopulation(patients) {
  const corpus = findCorpus();
  if (!corpus) throw new Error('the shared corpus was not found (HOSPITIUM_CORPUS or ../shared)');
  const files = syntheaFiles(corpus);
  const isShared = (f) => /\/_[^/]*$/.test(f.replaceAll('\\', '/'));
  const read = (file) => {
    const raw = readFileSync(file);
    return JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
  };
  const patientFiles = files.filter((f) => !isShared(f)).slice(0, patients);
  return {
    source: `corpus Synthea bundles (${patientFiles.length} patients)`,
    patients: patientFiles.length,
    shared: files.filter(isShared).map(read),
    patientBundles: function* () {
      for (const f of patientFiles) yield read(f);
    },
  };
}
