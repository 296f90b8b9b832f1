import type { Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../engine/types.js';
import { createRepository } from '../repository/repository.js';
import type { Repository } from '../repository/types.js';
import { testDatabases } from '../testing/databases.js';

/**
 * Values longer than a B-tree entry can hold (PostgreSQL's limit is 2,704 bytes) must neither
 * fail the write nor become unfindable: the index keeps a prefix and search compares the same prefix.
 */
const longText = (seed: string) =>
  Array.from({ length: 700 }, (_, i) => `${seed}${(i * 7919) % 1000}`).join('');

describe.each(testDatabases())('long indexed values on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;
  const family = longText('Ødegård');
  const mrn = longText('MRN');
  const url = `http://example.org/ValueSet/${longText('vs')}`;

  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
  });
  afterAll(() => db.close());

  it('stores and finds a resource whose name, identifier and url run to several kilobytes', async () => {
    expect(Buffer.byteLength(family)).toBeGreaterThan(4000);
    const patient: Resource = await repo.createResource<Resource>({
      resourceType: 'Patient',
      name: [{ family }],
      identifier: [{ system: 'urn:oid:1.2.3', value: mrn }],
    });
    const valueSet: Resource = await repo.createResource<Resource>({
      resourceType: 'ValueSet',
      status: 'active',
      url,
    });
    const find = async (resourceType: string, code: string, value: string, modifier?: string) =>
      (await repo.search({ resourceType, filters: [{ code, modifier, values: [value] }] })).resources.map(
        (r) => r.id,
      );

    expect(await find('Patient', 'identifier', `urn:oid:1.2.3|${mrn}`)).toEqual([patient.id]);
    expect(await find('Patient', 'family', family)).toEqual([patient.id]);
    expect(await find('Patient', 'family', 'ØDEGARD')).toEqual([patient.id]);
    expect(await find('Patient', 'family', family, 'exact')).toEqual([patient.id]);
    expect(await find('ValueSet', 'url', url)).toEqual([valueSet.id]);
    expect(await find('Patient', 'identifier', 'MRN-other')).toEqual([]);
  });
});
