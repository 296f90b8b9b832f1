import { type Bundle, isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { internalAccess, processBundle } from '@hospitium/server';
import { listCorpus, readCorpusJson } from '@hospitium/test-support';
import type { Repository } from '../../repository/types.js';

const quiet = { error() {}, warn() {}, info() {} };

/**
 * Synthea files to load: the hospital and practitioner batches (the patients reference them)
 * and every `stride`-th patient bundle, for variety at a bounded cost.
 */
export function syntheaFiles(patients: number): string[] {
  const files = listCorpus('synthea', 'fhir-r4').filter((f) => f.endsWith('.json.gz'));
  const shared = files.filter((f) => f.startsWith('_'));
  const people = files.filter((f) => !f.startsWith('_'));
  const stride = Math.max(1, Math.floor(people.length / patients));
  return [...shared, ...people.filter((_, i) => i % stride === 0).slice(0, patients)];
}

/**
 * Loads the files through the product's import path (`processBundle`: urn:uuid and conditional
 * references rewritten, validation, indexing) and returns `Type/id` of every written resource
 * in bundle order — the order the query generator samples in, so it does not depend on the
 * random ids the server assigns.
 */
export async function loadSynthea(repository: Repository, files: readonly string[]): Promise<string[]> {
  const order: string[] = [];
  for (const file of files) {
    const bundle = readCorpusJson<Bundle>('synthea', 'fhir-r4', file);
    const response = await processBundle(
      bundle,
      { repository, baseUrl: 'http://hospitium.test/fhir', logger: quiet, access: internalAccess },
      { prefer: 'return=minimal' },
    );
    for (const entry of response.entry ?? []) {
      const location = entry.response?.location;
      if (!location || !entry.response?.status?.startsWith('201'))
        throw new Error(`${file}: entry not created (${entry.response?.status})`);
      order.push(location.split('/_history/')[0]);
    }
  }
  return order;
}

/** Every stored resource of the given types, read back through search (paged), in `order`. */
export async function readBack(
  repository: Repository,
  resourceTypes: readonly string[],
  order: readonly string[],
): Promise<Resource[]> {
  const all: Resource[] = [];
  for (const resourceType of resourceTypes) {
    for (let offset = 0; ; offset += 1000) {
      const page = await repository.search({ resourceType, filters: [], count: 1000, offset });
      all.push(...page.resources);
      if (!page.hasMore) break;
    }
  }
  const rank = new Map(order.map((key, i) => [key, i]));
  const key = (r: Resource) => rank.get(`${r.resourceType}/${r.id}`) ?? Number.MAX_SAFE_INTEGER;
  return all.sort((a, b) => key(a) - key(b));
}

/**
 * The R4 examples (one or two of most resource types), written with their own ids through
 * `updateResource` so their references between each other hold. Examples the validator
 * refuses are left out; returns `Type/id` of those stored.
 */
export async function loadExamples(repository: Repository): Promise<{ stored: string[]; refused: string[] }> {
  const stored: string[] = [];
  const refused: string[] = [];
  for (const file of listCorpus('fhir-examples', 'r4').filter((f) => f.endsWith('.json'))) {
    const resource = readCorpusJson<Resource>('fhir-examples', 'r4', file);
    try {
      const written = resource.id
        ? (await repository.updateResource(resource)).resource
        : await repository.createResource(resource);
      stored.push(`${written.resourceType}/${written.id}`);
    } catch (err) {
      if (!isOperationOutcomeError(err)) throw err;
      refused.push(file);
    }
  }
  return { stored, refused };
}
