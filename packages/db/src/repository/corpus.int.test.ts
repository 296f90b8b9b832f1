import type { Resource } from '@hospitium/fhir';
import { corpusDir, corpusMissingReason, listCorpus, readCorpusJson } from '@hospitium/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { testDatabases } from '../testing/databases.js';
import { createRepository } from './repository.js';
import type { Repository } from './types.js';

const examples = corpusDir ? listCorpus('fhir-examples', 'r4').filter((f) => f.endsWith('.json')) : [];

/** Published examples that are not valid R4 JSON: the store must refuse them (400), not store them. */
const invalidExamples: Record<string, string> = {
  'activitydefinition-example.json':
    'timingTiming.event[0] is an object (a primitive extension written in the value array)',
};

/** The content a client sent, without what the server owns (meta.versionId/lastUpdated). */
function content(resource: Resource): Resource {
  const { meta, ...rest } = resource;
  if (!meta) return rest;
  const { versionId: _v, lastUpdated: _l, ...clientMeta } = meta;
  return Object.keys(clientMeta).length > 0 ? { ...rest, meta: clientMeta } : rest;
}

describe.skipIf(!corpusDir)(
  `FHIR R4 examples round-trip (${corpusDir ? 'corpus found' : corpusMissingReason})`,
  () => {
    describe.each(testDatabases())('on $name', ({ open }) => {
      let db: Database;
      let repo: Repository;
      beforeAll(async () => {
        db = await open();
        repo = createRepository(db);
      });
      afterAll(async () => {
        await db?.close();
      });

      it.each(examples)(
        '%s: store → read gives the same content, then it is findable by _id',
        async (file) => {
          const example = readCorpusJson<Resource>('fhir-examples', 'r4', file);
          if (invalidExamples[file]) {
            await expect(repo.createResource(example)).rejects.toMatchObject({ status: 400 });
            return;
          }
          // With its own id (update-as-create) when it has one, as a server-assigned create otherwise.
          const resource = example.id
            ? (await repo.updateResource(example)).resource
            : await repo.createResource(example);
          if (!example.id) example.id = resource.id;
          const read = await repo.readResource(example.resourceType, example.id!);
          expect(read).toEqual(resource);
          expect(content(read)).toEqual(content(example));
          const found = await repo.search({
            resourceType: example.resourceType,
            filters: [{ code: '_id', values: [example.id!] }],
          });
          expect(found.resources.map((r) => r.id)).toEqual([example.id]);
        },
      );
    });
  },
);
