import { describeFailure } from '../load/fhir-client.mjs';
import { LatencyRecorder } from '../load/latency.mjs';

/**
 * Ingest: the population's transaction bundles POSTed to `/fhir` by `concurrency` clients
 * (`Prefer: return=minimal`). The shared bundle (organisations, practitioners, locations) goes
 * first, alone. Bundles are generated and serialised in batches *between* timed stretches, so
 * the generator's CPU does not count against the server; only the time spent posting is measured.
 */
export async function runIngest({ client, population, concurrency, harvest, log }) {
  const failures = [];
  const post = async (json) => {
    const res = await client.request('POST', '', { body: json, headers: { prefer: 'return=minimal' } });
    if (res.status !== 200) {
      if (failures.length < 5) failures.push(describeFailure(res));
      return { ok: false, ms: res.ms };
    }
    const response = JSON.parse(res.text);
    harvest.noteResponse(response);
    return { ok: true, ms: res.ms, resources: response.entry?.length ?? 0 };
  };

  for (const bundle of population.shared) {
    harvest.noteRequest(bundle);
    const r = await post(JSON.stringify(bundle));
    if (!r.ok) throw new Error(`the shared bundle was refused: ${failures.at(-1)}`);
  }

  const latency = new LatencyRecorder();
  const batchSize = Math.max(32, concurrency * 8);
  let resources = 0;
  let bundles = 0;
  let postingSeconds = 0;
  let preparingSeconds = 0;
  const iterator = population.patientBundles()[Symbol.iterator]();
  let done = false;
  let lastLog = performance.now();
  while (!done) {
    const prepStarted = performance.now();
    const batch = [];
    while (batch.length < batchSize) {
      const next = iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      harvest.noteRequest(next.value);
      batch.push(JSON.stringify(next.value));
    }
    preparingSeconds += (performance.now() - prepStarted) / 1000;
    if (batch.length === 0) break;

    const started = performance.now();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, batch.length) }, async () => {
        while (cursor < batch.length) {
          const json = batch[cursor++];
          const r = await post(json);
          if (r.ok) {
            latency.record(r.ms);
            resources += r.resources;
          } else latency.fail();
          bundles++;
        }
      }),
    );
    postingSeconds += (performance.now() - started) / 1000;
    if (performance.now() - lastLog > 5000 || done) {
      lastLog = performance.now();
      log(
        `ingest: ${bundles}/${population.patients} patients, ${resources.toLocaleString('en-US')} resources, ` +
          `${Math.round(resources / postingSeconds).toLocaleString('en-US')} resources/s`,
      );
    }
  }
  const perBundle = latency.summary(postingSeconds);
  return {
    bundles,
    resources,
    seconds: postingSeconds,
    resourcesPerSec: resources / postingSeconds,
    bundlesPerSec: bundles / postingSeconds,
    concurrency,
    errors: latency.errors,
    failures,
    bundleP50Ms: perBundle.p50Ms,
    bundleP99Ms: perBundle.p99Ms,
    generatorSeconds: preparingSeconds,
  };
}
