/** The repository contract, part one: create and read, update with versions and vread, delete. */
import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { testDatabases } from '../testing/databases.js';
import { testPatient } from '../testing/fixtures.js';
import { countQueries } from '../testing/query-counter.js';
import { failure, repositoryHarness } from '../testing/repository-harness.js';
import { createRepository } from './repository.js';
import type { Repository } from './types.js';

describe.each(testDatabases())('repository contract (create, read, update, delete) on $name', ({ open }) => {
  let db: Database, repo: Repository;
  repositoryHarness(open, (opened) => ({ db, repo } = opened));

  describe('create and read', () => {
    it('assigns a UUID, version 1 and a millisecond lastUpdated, and reads back the same content', async () => {
      const before = Date.now();
      const created = await repo.createResource(testPatient({ family: 'Create' }));
      expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(created.meta?.versionId).toBe('1');
      expect(created.meta?.lastUpdated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(created.meta?.lastUpdated ?? '')).toBeGreaterThanOrEqual(before);
      const read = await repo.readResource('Patient', created.id!);
      expect(read).toEqual(created);
      expect(read.name).toEqual([{ use: 'official', family: 'Create', given: ['Peter'] }]);
    });

    it('ignores a client id and client versionId/lastUpdated on create, keeps profile, tag and security', async () => {
      const meta = {
        versionId: '99',
        lastUpdated: '2001-01-01T00:00:00.000Z',
        profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'],
        tag: [{ system: 'http://example.org/tags', code: 'vip' }],
        security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
      };
      const created = await repo.createResource(testPatient({ id: 'client-chosen', meta }));
      expect(created.id).not.toBe('client-chosen');
      expect(created.meta).toEqual({
        versionId: '1',
        lastUpdated: created.meta?.lastUpdated,
        profile: meta.profile,
        tag: meta.tag,
        security: meta.security,
      });
      expect(created.meta?.lastUpdated).not.toBe('2001-01-01T00:00:00.000Z');
    });

    it('uses options.id when given and refuses a taken one with 409', async () => {
      const created = await repo.createResource(testPatient(), { id: 'fixed-id-1' });
      expect(created.id).toBe('fixed-id-1');
      expect(await failure(repo.createResource(testPatient(), { id: 'fixed-id-1' }))).toMatchObject({
        status: 409,
      });
    });

    it('returns the stored text exactly on the fast path, with version and lastUpdated', async () => {
      const created = await repo.createResource(testPatient({ family: 'Text' }));
      const read = await repo.readResourceText('Patient', created.id!);
      expect(read.text).toBe(JSON.stringify(created));
      expect(read.versionId).toBe('1');
      expect(read.lastUpdated).toBe(created.meta?.lastUpdated);
    });

    it('reads with exactly one query (no N+1 on the hot path)', async () => {
      const counter = countQueries(db);
      const counted = createRepository(counter.db);
      const created = await counted.createResource(testPatient());
      expect(counter.statements).toHaveLength(1);
      counter.reset();
      await counted.readResource('Patient', created.id!);
      expect(counter.statements).toHaveLength(1);
      counter.reset();
      await counted.readResourceText('Patient', created.id!);
      expect(counter.statements).toHaveLength(1);
    });

    it('404s an unknown id and 400s a malformed id or an unknown type', async () => {
      expect(await failure(repo.readResource('Patient', 'does-not-exist'))).toMatchObject({ status: 404 });
      expect(await failure(repo.readResource('Patient', 'bad id!'))).toMatchObject({ status: 400 });
      expect(await failure(repo.readResource('Patient', 'x'.repeat(65)))).toMatchObject({ status: 400 });
      expect(await failure(repo.readResource('NotAType', 'abc'))).toMatchObject({ status: 400 });
      expect(await failure(repo.createResource(testPatient(), { id: 'has/slash' }))).toMatchObject({
        status: 400,
      });
    });

    it('rejects an invalid resource with 400 listing every issue, and stores nothing', async () => {
      const bad = { resourceType: 'Patient', birthDate: 'yesterday', colour: 'blue' } as Resource;
      try {
        await repo.createResource(bad, { id: 'never-stored' });
        expect.unreachable();
      } catch (err) {
        expect(isOperationOutcomeError(err) && err.status).toBe(400);
        const expressions = isOperationOutcomeError(err)
          ? err.outcome.issue.flatMap((i) => i.expression ?? [])
          : [];
        expect(expressions).toEqual(expect.arrayContaining(['Patient.birthDate', 'Patient.colour']));
      }
      expect(await failure(repo.readResource('Patient', 'never-stored'))).toMatchObject({ status: 404 });
    });

    it('rejects a body that is not a resource', async () => {
      expect(await failure(repo.createResource({ hello: 'world' } as unknown as Resource))).toMatchObject({
        status: 400,
      });
    });
  });

  describe('update, versions and vread', () => {
    it('increments versionId, strictly increases lastUpdated, and keeps every version for vread', async () => {
      const v1 = await repo.createResource(testPatient({ family: 'One' }));
      const { resource: v2, created } = await repo.updateResource({ ...v1, name: [{ family: 'Two' }] });
      const { resource: v3 } = await repo.updateResource({ ...v2, name: [{ family: 'Three' }] });
      expect(created).toBe(false);
      expect([v1.meta?.versionId, v2.meta?.versionId, v3.meta?.versionId]).toEqual(['1', '2', '3']);
      expect(Date.parse(v2.meta!.lastUpdated!)).toBeGreaterThan(Date.parse(v1.meta!.lastUpdated!));
      expect(Date.parse(v3.meta!.lastUpdated!)).toBeGreaterThan(Date.parse(v2.meta!.lastUpdated!));
      expect(await repo.readVersion('Patient', v1.id!, '1')).toEqual(v1);
      expect(await repo.readVersion('Patient', v1.id!, '2')).toEqual(v2);
      expect(await repo.readResource('Patient', v1.id!)).toEqual(v3);
      expect(await failure(repo.readVersion('Patient', v1.id!, '4'))).toMatchObject({ status: 404 });
      expect(await failure(repo.readVersion('Patient', v1.id!, 'abc'))).toMatchObject({ status: 404 });
    });

    it('creates with the client id when the id is new (update-as-create)', async () => {
      const { resource, created } = await repo.updateResource(testPatient({ id: 'put-created' }));
      expect(created).toBe(true);
      expect(resource.meta?.versionId).toBe('1');
      expect(await repo.readResource('Patient', 'put-created')).toEqual(resource);
    });

    it('400s an update without an id or with a bad one', async () => {
      expect(await failure(repo.updateResource(testPatient()))).toMatchObject({ status: 400 });
      expect(await failure(repo.updateResource(testPatient({ id: 'a b' })))).toMatchObject({ status: 400 });
    });

    it('applies If-Match: the current version passes, a stale one gets 412 and changes nothing', async () => {
      const v1 = await repo.createResource(testPatient({ family: 'Match' }));
      const { resource: v2 } = await repo.updateResource({ ...v1, gender: 'female' }, { ifMatch: '1' });
      expect(v2.meta?.versionId).toBe('2');
      const stale = await failure(repo.updateResource({ ...v1, gender: 'other' }, { ifMatch: '1' }));
      expect(stale.status).toBe(412);
      expect((await repo.readResource('Patient', v1.id!)).gender).toBe('female');
      expect(
        await failure(repo.updateResource(testPatient({ id: 'no-such-one' }), { ifMatch: '1' })),
      ).toMatchObject({
        status: 412,
      });
    });

    it('lets exactly one of parallel updates with the same If-Match win, and loses no update', async () => {
      const base = await repo.createResource(testPatient({ family: 'Race' }));
      const attempts = Array.from({ length: 8 }, (_, i) =>
        repo.updateResource({ ...base, name: [{ family: `Racer${i}` }] }, { ifMatch: '1' }),
      );
      const results = await Promise.allSettled(attempts);
      const winners = results.filter((r) => r.status === 'fulfilled');
      const losers = results.filter((r) => r.status === 'rejected');
      expect(winners).toHaveLength(1);
      for (const loser of losers) {
        expect(isOperationOutcomeError(loser.reason) && loser.reason.status).toBe(412);
      }
      const current = await repo.readResource('Patient', base.id!);
      expect(current.meta?.versionId).toBe('2');

      // Without If-Match every parallel update lands as its own version.
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => repo.updateResource({ ...base, name: [{ family: `All${i}` }] })),
      );
      const after = await repo.history({ resourceType: 'Patient', id: base.id });
      expect(after.total).toBe(8);
      expect(after.entries.map((e) => e.versionId)).toEqual(['8', '7', '6', '5', '4', '3', '2', '1']);
    });

    it('creates exactly once when parallel PUTs bring the same new id', async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          repo.updateResource(testPatient({ id: 'race-create', family: `P${i}` })),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results.map((r) => r.resource.meta?.versionId).sort()).toEqual(['1', '2', '3', '4', '5']);
    });
  });

  describe('delete', () => {
    it('writes a delete marker: read → 410, vread of the marker → 410, earlier versions stay readable', async () => {
      const v1 = await repo.createResource(testPatient({ family: 'Gone' }));
      const result = await repo.deleteResource('Patient', v1.id!);
      expect(result.versionId).toBe('2');
      expect(await failure(repo.readResource('Patient', v1.id!))).toMatchObject({ status: 410 });
      expect(await failure(repo.readResourceText('Patient', v1.id!))).toMatchObject({ status: 410 });
      expect(await failure(repo.readVersion('Patient', v1.id!, '2'))).toMatchObject({ status: 410 });
      expect(await repo.readVersion('Patient', v1.id!, '1')).toEqual(v1);
      expect(await repo.deleteResource('Patient', v1.id!)).toEqual({});
      expect(await repo.deleteResource('Patient', 'never-existed')).toEqual({});
    });

    it('honours If-Match on delete', async () => {
      const v1 = await repo.createResource(testPatient());
      await repo.updateResource({ ...v1, active: false });
      expect(await failure(repo.deleteResource('Patient', v1.id!, { ifMatch: '1' }))).toMatchObject({
        status: 412,
      });
      expect((await repo.deleteResource('Patient', v1.id!, { ifMatch: '2' })).versionId).toBe('3');
    });

    it('revives a deleted resource with the next version on update', async () => {
      const v1 = await repo.createResource(testPatient({ family: 'Lazarus' }));
      await repo.deleteResource('Patient', v1.id!);
      const { resource, created } = await repo.updateResource({ ...v1, active: false });
      expect(created).toBe(true);
      expect(resource.meta?.versionId).toBe('3');
      expect((await repo.readResource('Patient', v1.id!)).active).toBe(false);
      const entries = (await repo.history({ resourceType: 'Patient', id: v1.id })).entries;
      expect(entries.map((e) => [e.versionId, e.method, e.deleted])).toEqual([
        ['3', 'PUT', false],
        ['2', 'DELETE', true],
        ['1', 'POST', false],
      ]);
      expect(entries[1].resource).toBeUndefined();
    });

    it('removes a deleted resource from search results', async () => {
      const p = await repo.createResource(testPatient({ family: 'Searchgone' }));
      const hit = await repo.search({
        resourceType: 'Patient',
        filters: [{ code: 'family', values: ['searchgone'] }],
      });
      expect(hit.resources.map((r) => r.id)).toEqual([p.id]);
      await repo.deleteResource('Patient', p.id!);
      const miss = await repo.search({
        resourceType: 'Patient',
        filters: [{ code: 'family', values: ['searchgone'] }],
      });
      expect(miss.resources).toEqual([]);
      const byId = await repo.search({
        resourceType: 'Patient',
        filters: [{ code: '_id', values: [p.id!] }],
      });
      expect(byId.resources).toEqual([]);
    });
  });
});
