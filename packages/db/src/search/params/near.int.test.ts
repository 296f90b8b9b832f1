import { isOperationOutcomeError, type Resource } from '@hospitium/fhir';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../engine/types.js';
import { createRepository } from '../../repository/repository.js';
import type { Repository, SearchFilter } from '../../repository/types.js';
import { testDatabases } from '../../testing/databases.js';
import { searchFilter as f } from '../../testing/search-filter.js';

function location(id: string, latitude?: number, longitude?: number, status = 'active'): Resource {
  return {
    resourceType: 'Location',
    id,
    status,
    name: id,
    ...(latitude !== undefined && longitude !== undefined ? { position: { latitude, longitude } } : {}),
  };
}

/*
 * Great-circle distances from Boston City Hall (42.3603, -71.0580), haversine, R = 6371.0088 km:
 * Cambridge 4.50 km, Worcester 62.16 km, Providence 66.43 km, New York 306.18 km,
 * Montreal 402.93 km, London 5,264.10 km; Suva (Fiji) to Apia (Samoa) 1,150.70 km across the
 * antimeridian.
 */
const places: Resource[] = [
  location('boston', 42.3603, -71.058),
  location('cambridge', 42.3736, -71.1097),
  location('worcester', 42.2626, -71.8023),
  location('providence', 41.824, -71.4128),
  location('new-york', 40.7128, -74.006),
  location('montreal', 45.5017, -73.5673),
  location('london', 51.5074, -0.1278),
  location('suva', -18.1416, 178.4419),
  location('apia', -13.8333, -171.7667),
  location('north-pole-camp', 89.9, 10),
  location('no-position'),
  location('closed-boston', 42.3601, -71.0589, 'inactive'),
];

describe.each(testDatabases())('near on $name', ({ open }) => {
  let db: Database;
  let repo: Repository;

  async function ids(...filters: SearchFilter[]): Promise<string[]> {
    const result = await repo.search({
      resourceType: 'Location',
      filters,
      sort: [{ code: '_id', descending: false }],
    });
    return result.resources.map((r) => r.id ?? '');
  }

  async function rejection(...filters: SearchFilter[]): Promise<string> {
    try {
      await repo.search({ resourceType: 'Location', filters });
    } catch (err) {
      if (isOperationOutcomeError(err) && err.status === 400)
        return err.outcome.issue[0]?.details?.text ?? '';
      throw err;
    }
    throw new Error('expected a 400');
  }

  beforeAll(async () => {
    db = await open();
    repo = createRepository(db);
    await repo.createResources(places, { ids: places.map((p) => p.id ?? '') });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('finds locations within the distance, by great-circle distance, km by default', async () => {
    expect(await ids(f('near', '42.3603|-71.0580|5'))).toEqual(['boston', 'cambridge', 'closed-boston']);
    expect(await ids(f('near', '42.3603|-71.0580|5|km'))).toEqual(['boston', 'cambridge', 'closed-boston']);
    expect(await ids(f('near', '42.3603|-71.0580|4.45|km'))).toEqual(['boston', 'closed-boston']);
    // Worcester 62.16 km, Providence 66.43 km: the edge is exact, not a box.
    expect(await ids(f('near', '42.3603|-71.0580|64'))).toEqual([
      'boston',
      'cambridge',
      'closed-boston',
      'worcester',
    ]);
    expect(await ids(f('near', '42.3603|-71.0580|67'))).toEqual([
      'boston',
      'cambridge',
      'closed-boston',
      'providence',
      'worcester',
    ]);
  });

  it('converts miles and metres; defaults to 50 km without a distance', async () => {
    // 190 mi = 305.77 km (New York is 306.18 km away); 191 mi = 307.38 km.
    expect(await ids(f('near', '42.3603|-71.0580|190|[mi_i]'))).not.toContain('new-york');
    expect(await ids(f('near', '42.3603|-71.0580|191|mi'))).toContain('new-york');
    expect(await ids(f('near', '42.3603|-71.0580|4550|m'))).toEqual(['boston', 'cambridge', 'closed-boston']);
    expect(await ids(f('near', '42.3603|-71.0580'))).toEqual(['boston', 'cambridge', 'closed-boston']);
  });

  it('reaches 1,000 km and more, across the antimeridian and over a pole', async () => {
    expect(await ids(f('near', '42.3603|-71.0580|1000|km'))).toEqual([
      'boston',
      'cambridge',
      'closed-boston',
      'montreal',
      'new-york',
      'providence',
      'worcester',
    ]);
    expect(await ids(f('near', '51.5074|-0.1278|5300|km'))).toContain('boston');
    expect(await ids(f('near', '-18.1416|178.4419|1200|km'))).toEqual(['apia', 'suva']);
    expect(await ids(f('near', '-18.1416|178.4419|1100|km'))).toEqual(['suva']);
    expect(await ids(f('near', '89.5|-170|100|km'))).toEqual(['north-pole-camp']);
  });

  it('ORs values, combines with other parameters, follows updates', async () => {
    expect(await ids(f('near', '51.5074|-0.1278|10', '41.824|-71.4128|1'))).toEqual(['london', 'providence']);
    expect(await ids(f('near', '42.3603|-71.0580|5'), f('status', 'active'))).toEqual([
      'boston',
      'cambridge',
    ]);
    await repo.updateResource(location('cambridge', 48.8566, 2.3522));
    expect(await ids(f('near', '42.3603|-71.0580|5'))).toEqual(['boston', 'closed-boston']);
    expect(await ids(f('near', '48.8566|2.3522|1'))).toEqual(['cambridge']);
    await repo.updateResource(location('cambridge', 42.3736, -71.1097));
  });

  it('rejects malformed values with a 400 naming near', async () => {
    expect(await rejection(f('near', '91|0|10'))).toMatch(/'near'.*latitude is a number from -90 to 90/);
    expect(await rejection(f('near', '42|-181'))).toMatch(/'near'.*longitude is a number from -180 to 180/);
    expect(await rejection(f('near', 'north|west'))).toMatch(/'near'.*latitude/);
    expect(await rejection(f('near', '42'))).toMatch(/'near'.*2 to 4 parts/);
    expect(await rejection(f('near', '42|-71|-5'))).toMatch(/'near'.*distance is a number ≥ 0/);
    expect(await rejection(f('near', '42|-71|5|furlongs'))).toMatch(/'near'.*unknown units 'furlongs'/);
    expect(await rejection(f('near:missing', 'true'))).toMatch(/':missing' is not supported.*'near'/);
  });
});
