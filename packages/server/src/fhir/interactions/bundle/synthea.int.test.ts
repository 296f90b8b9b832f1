import type { Bundle, Resource } from '@hospitium/fhir';
import { corpusDir, corpusMissingReason, listCorpus, readCorpusJson } from '@hospitium/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalAccess } from '../../../auth/tokens/access-context.js';
import { asBundle, type TestServer, testBaseUrl, testServers } from '../../../testing/test-server.js';
import { processBundle } from './process-bundle.js';

const files = corpusDir ? listCorpus('synthea', 'fhir-r4').filter((f) => f.endsWith('.json.gz')) : [];
const patientFiles = files.filter((f) => !f.startsWith('_'));

/** Every `reference` string in a resource. */
function references(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) references(item, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'reference' && typeof value === 'string') out.push(value);
      else references(value, out);
    }
  }
  return out;
}

describe.skipIf(!corpusDir).each(testServers())(
  `Synthea transaction bundles import on $name${corpusDir ? '' : ` (${corpusMissingReason})`}`,
  ({ start }) => {
    let s: TestServer;
    beforeAll(async () => {
      s = await start();
    });
    afterAll(() => s?.close());

    it('the hospital and practitioner bundles import with every entry created', async () => {
      for (const file of files.filter((f) => f.startsWith('_'))) {
        const bundle = readCorpusJson<Bundle>('synthea', 'fhir-r4', file);
        const res = await s.post('', bundle, { prefer: 'return=minimal' });
        expect(res.status, res.text.slice(0, 500)).toBe(200);
        const statuses = asBundle(res).entry?.map((e) => e.response?.status);
        expect(statuses).toEqual(bundle.entry?.map(() => '201 Created'));
      }
    });

    it('a patient bundle imports over HTTP with 0 errors and its references rewritten to assigned ids', async () => {
      const file = patientFiles[0];
      const bundle = readCorpusJson<Bundle>('synthea', 'fhir-r4', file);
      const types = bundle.entry?.map((e) => e.resource?.resourceType) ?? [];
      const res = await s.post('', bundle);
      expect(res.status, res.text.slice(0, 500)).toBe(200);
      const entries = asBundle(res).entry ?? [];
      expect(entries).toHaveLength(types.length);
      expect(entries.every((e) => e.response?.status === '201 Created')).toBe(true);
      expect(entries.map((e) => e.resource?.resourceType)).toEqual(types);

      const stored = new Set(entries.map((e) => `${e.resource?.resourceType}/${e.resource?.id}`));
      for (const entry of entries) {
        expect(entry.fullUrl).toBe(`${testBaseUrl}/${entry.resource?.resourceType}/${entry.resource?.id}`);
        for (const ref of references(entry.resource)) {
          if (ref.startsWith('#')) continue; // contained resources
          expect(ref.startsWith('urn:'), `${ref} in ${entry.resource?.resourceType}`).toBe(false);
          expect(stored.has(ref), `${ref} resolves`).toBe(true);
        }
      }

      const patient = entries.find((e) => e.resource?.resourceType === 'Patient')?.resource as Resource;
      const observations = types.filter((t) => t === 'Observation').length;
      const found = asBundle(await s.get(`Observation?patient=${patient.id}&_total=accurate&_count=0`));
      expect(found.total).toBe(observations);
      const encounter = entries.find((e) => e.resource?.resourceType === 'Encounter')?.resource as Resource;
      const read = await s.get(`Encounter/${encounter.id}`);
      expect(read.body?.subject).toEqual({ reference: `Patient/${patient.id}` });
    });

    it('processBundle (the import path) stores a patient bundle in one transaction', async () => {
      const file = patientFiles[patientFiles.length - 1];
      const bundle = readCorpusJson<Bundle>('synthea', 'fhir-r4', file);
      const count = bundle.entry?.length ?? 0;
      const response = await processBundle(
        bundle,
        {
          repository: s.repository,
          baseUrl: testBaseUrl,
          logger: { error() {}, warn() {}, info() {} },
          access: internalAccess,
        },
        { prefer: 'return=minimal' },
      );
      expect(response.type).toBe('transaction-response');
      expect(response.entry?.filter((e) => e.response?.status === '201 Created')).toHaveLength(count);
      const patientLocation = response.entry?.[0].response?.location ?? '';
      expect(patientLocation).toMatch(/^Patient\/[0-9a-f-]{36}\/_history\/1$/);
      const everything = asBundle(
        await s.get(`Encounter?patient=${patientLocation.split('/')[1]}&_total=accurate&_count=0`),
      );
      expect(everything.total).toBe(
        bundle.entry?.filter((e) => e.resource?.resourceType === 'Encounter').length,
      );
    });
  },
);
