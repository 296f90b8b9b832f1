import { badRequest } from '@hospitium/fhir';
import type { SearchFilter } from '../../repository/types.js';
import {
  and,
  anyOf,
  column,
  compare,
  distanceKm,
  type Expression,
  eq,
  inSubquery,
  or,
  param,
  select,
} from '../ast.js';
import { EARTH_RADIUS_KM } from '../compile.js';
import { splitEscaped } from '../escape.js';
import { filterName, type PredicateContext } from '../predicate.js';

/** Distance when `near` gives none: a city and its surroundings (documented in the db README). */
export const DEFAULT_NEAR_KM = 50;

/** Units `near` accepts (UCUM codes, plus the plain `mi`), in km per unit. */
export const NEAR_UNITS: Readonly<Record<string, number>> = {
  km: 1,
  m: 0.001,
  mi: 1.609344,
  '[mi_i]': 1.609344,
  '[mi_us]': 1.6093472186944373,
  '[nmi_i]': 1.852,
};

/** Half the Earth's circumference: every point is at most this far. */
const MAX_KM = Math.PI * EARTH_RADIUS_KM;

export interface NearValue {
  latitude: number;
  longitude: number;
  distanceKm: number;
}

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

function bad(filter: SearchFilter, value: string, problem: string): never {
  throw badRequest(
    `Invalid value '${value}' for search parameter '${filterName(filter)}': ${problem}. ` +
      'Expected latitude|longitude|[distance]|[units], e.g. 42.2565|-83.6948|10|km',
    `http.${filterName(filter)}`,
  );
}

/** Parses `latitude|longitude|[distance]|[units]` (R4): degrees WGS84, distance ≥ 0, km by default. */
export function parseNear(filter: SearchFilter, value: string): NearValue {
  const parts = splitEscaped(value, '|');
  if (parts.length < 2 || parts.length > 4) bad(filter, value, 'it has 2 to 4 parts separated by |');
  const [lat, lon, dist = '', units = ''] = parts;
  if (!DECIMAL.test(lat) || Math.abs(Number(lat)) > 90)
    bad(filter, value, 'latitude is a number from -90 to 90');
  if (!DECIMAL.test(lon) || Math.abs(Number(lon)) > 180)
    bad(filter, value, 'longitude is a number from -180 to 180');
  if (dist !== '' && (!DECIMAL.test(dist) || Number(dist) < 0))
    bad(filter, value, 'distance is a number ≥ 0');
  const perUnit = units === '' ? 1 : NEAR_UNITS[units];
  if (perUnit === undefined)
    bad(filter, value, `unknown units '${units}' (use ${Object.keys(NEAR_UNITS).join(', ')})`);
  const distance = dist === '' ? DEFAULT_NEAR_KM : Number(dist) * perUnit;
  return { latitude: Number(lat), longitude: Number(lon), distanceKm: Math.min(distance, MAX_KM) };
}

const degrees = (radians: number) => (radians * 180) / Math.PI;
/** Widening of the box, degrees: floating-point slack, so the box never cuts off a true match. */
const SLACK = 1e-9;

/**
 * The latitude/longitude ranges that contain every point within the distance (a sphere's exact
 * bounding box): longitude ranges split at ±180°, none at all when the circle covers a pole.
 */
export function boundingBox(near: NearValue): {
  latitude: [number, number];
  longitude: [number, number][] | 'any';
} {
  const angular = near.distanceKm / EARTH_RADIUS_KM;
  const dLat = degrees(angular) + SLACK;
  const latitude: [number, number] = [near.latitude - dLat, near.latitude + dLat];
  if (latitude[0] <= -90 || latitude[1] >= 90 || angular >= Math.PI / 2)
    return { latitude, longitude: 'any' };
  const ratio = Math.sin(angular) / Math.cos((near.latitude * Math.PI) / 180);
  if (ratio >= 1) return { latitude, longitude: 'any' };
  const dLon = degrees(Math.asin(ratio)) + SLACK;
  const [west, east] = [near.longitude - dLon, near.longitude + dLon];
  if (west < -180)
    return {
      latitude,
      longitude: [
        [west + 360, 180],
        [-180, east],
      ],
    };
  if (east > 180)
    return {
      latitude,
      longitude: [
        [west, 180],
        [-180, east - 360],
      ],
    };
  return { latitude, longitude: [[west, east]] };
}

/**
 * `near=lat|lon|distance|units` on Location: inside the bounding box (the
 * (resource_type, param, latitude, longitude) B-tree of idx_position) and within the great-circle
 * distance (haversine on the rows in the box). Several values are OR-ed.
 */
export function nearPredicate(ctx: PredicateContext, filter: SearchFilter): Expression {
  if (filter.modifier !== undefined) {
    throw badRequest(
      `Modifier ':${filter.modifier}' is not supported on search parameter '${filter.code}'`,
      `http.${filterName(filter)}`,
    );
  }
  const alias = `p${(ctx.depth ?? 0) + 1}`;
  const col = (name: string) => column(alias, name);
  const within = filter.values.map((value) => {
    const near = parseNear(filter, value);
    const box = boundingBox(near);
    const range = (c: Expression, [low, high]: [number, number]) =>
      and(compare(c, '>=', param(low, 'float8')), compare(c, '<=', param(high, 'float8')));
    const conditions = [range(col('latitude'), box.latitude)];
    if (box.longitude !== 'any') conditions.push(or(...box.longitude.map((r) => range(col('longitude'), r))));
    conditions.push(
      compare(
        distanceKm(col('latitude'), col('longitude'), near),
        '<=',
        param(near.distanceKm + 1e-9, 'float8'),
      ),
    );
    return and(...conditions);
  });
  const type = ctx.resourceTypes
    ? anyOf(col('resource_type'), ctx.resourceTypes)
    : eq(col('resource_type'), ctx.resourceType);
  const rows = select({ table: 'idx_position', alias }, [{ expression: col('rid'), alias: 'rid' }], {
    where: and(type, eq(col('param'), filter.code), or(...within)),
  });
  return inSubquery(column(ctx.alias, 'rid'), rows);
}
