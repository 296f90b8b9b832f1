import { isOperationOutcomeError } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { boundingBox, DEFAULT_NEAR_KM, parseNear } from './near.js';

const filter = { code: 'near', values: [] };

function rejection(value: string): string {
  try {
    parseNear(filter, value);
  } catch (err) {
    if (isOperationOutcomeError(err) && err.status === 400) return err.outcome.issue[0]?.details?.text ?? '';
    throw err;
  }
  throw new Error('expected a 400');
}

describe('parseNear', () => {
  it('reads latitude|longitude|distance|units, km by default, 50 km without a distance', () => {
    expect(parseNear(filter, '42.36|-71.06|10|km')).toEqual({
      latitude: 42.36,
      longitude: -71.06,
      distanceKm: 10,
    });
    expect(parseNear(filter, '42.36|-71.06|10')).toEqual({
      latitude: 42.36,
      longitude: -71.06,
      distanceKm: 10,
    });
    expect(parseNear(filter, '42.36|-71.06')).toMatchObject({ distanceKm: DEFAULT_NEAR_KM });
    expect(parseNear(filter, '42.36|-71.06||mi')).toMatchObject({ distanceKm: DEFAULT_NEAR_KM });
    expect(parseNear(filter, '0|0|1|[mi_i]').distanceKm).toBeCloseTo(1.609344, 9);
    expect(parseNear(filter, '0|0|500|m').distanceKm).toBeCloseTo(0.5, 9);
    expect(parseNear(filter, '0|0|1000000|km').distanceKm).toBeCloseTo(Math.PI * 6371.0088, 6);
  });

  it('rejects malformed values, naming the problem', () => {
    expect(rejection('42.36')).toMatch(/2 to 4 parts/);
    expect(rejection('42.36|-71.06|1|km|x')).toMatch(/2 to 4 parts/);
    expect(rejection('-90.5|0')).toMatch(/latitude/);
    expect(rejection('1e2|0')).toMatch(/latitude/);
    expect(rejection('0|180.01')).toMatch(/longitude/);
    expect(rejection('0|0|-1')).toMatch(/distance/);
    expect(rejection('0|0|ten')).toMatch(/distance/);
    expect(rejection('0|0|1|KM')).toMatch(/unknown units 'KM'/);
  });
});

describe('boundingBox', () => {
  it('is about 0.09° of latitude per 10 km, wider in longitude away from the equator', () => {
    const box = boundingBox({ latitude: 60, longitude: 10, distanceKm: 10 });
    expect(box.latitude[1] - 60).toBeCloseTo(0.08993, 4);
    if (box.longitude === 'any') throw new Error('expected a longitude range');
    expect(box.longitude).toHaveLength(1);
    expect(box.longitude[0][1] - 10).toBeCloseTo(0.1799, 3);
  });

  it('splits at the antimeridian and opens over a pole', () => {
    const east = boundingBox({ latitude: 0, longitude: 179.95, distanceKm: 20 });
    expect(east.longitude).toEqual([
      [expect.closeTo(179.77, 2), 180],
      [-180, expect.closeTo(-179.87, 2)],
    ]);
    expect(boundingBox({ latitude: 89.9, longitude: 0, distanceKm: 20 }).longitude).toBe('any');
    expect(boundingBox({ latitude: 0, longitude: 0, distanceKm: 15_000 }).longitude).toBe('any');
  });
});
