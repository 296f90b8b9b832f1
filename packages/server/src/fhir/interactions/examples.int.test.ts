import type { Resource } from '@hospitium/fhir';
import { corpusDir, corpusMissingReason, listCorpus, readCorpusJson } from '@hospitium/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServers } from '../../testing/test-server.js';

const examples = corpusDir ? listCorpus('fhir-examples', 'r4').filter((f) => f.endsWith('.json')) : [];

/**
 * Official examples that are not valid R4 JSON, with the element the server must name.
 * activitydefinition-example puts an extension object where the primitive dateTime goes
 * (it belongs in `_event`), so storing it would be storing invalid data.
 */
const invalidExamples: Record<string, string> = {
  'activitydefinition-example.json': 'ActivityDefinition.timingTiming.event[0]',
};

/** The content a client wrote: without the server-owned id, versionId and lastUpdated. */
function content(resource: Resource): Resource {
  const { id: _id, meta, ...rest } = resource;
  const { versionId: _v, lastUpdated: _l, ...clientMeta } = meta ?? {};
  return Object.keys(clientMeta).length > 0 ? { ...rest, meta: clientMeta } : rest;
}

describe.skipIf(!corpusDir).each(testServers())(
  `every R4 example round-trips through create and read on $name${corpusDir ? '' : ` (${corpusMissingReason})`}`,
  ({ start }) => {
    let s: TestServer;
    beforeAll(async () => {
      s = await start();
    });
    afterAll(() => s?.close());

    it('the corpus holds the official examples', () => {
      expect(examples.length).toBeGreaterThanOrEqual(150);
    });

    it.each(examples)('%s', async (file) => {
      const example = readCorpusJson<Resource>('fhir-examples', 'r4', file);
      const created = await s.post(example.resourceType, example);
      const invalidAt = invalidExamples[file];
      if (invalidAt) {
        expect(created.status).toBe(400);
        expect(JSON.stringify(created.body)).toContain(invalidAt);
        return;
      }
      expect(created.status, created.text).toBe(201);
      const read = await s.get(`${example.resourceType}/${created.body?.id}`);
      expect(read.status).toBe(200);
      expect(read.body?.meta?.versionId).toBe('1');
      expect(content(read.body!)).toEqual(content(example));
    });
  },
);
