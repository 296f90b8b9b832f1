import type { TypedValue } from '../fhirpath-values.js';
import { splitUnescaped } from './search-value.js';

/**
 * R4 search.html#special, Location `near`: `latitude|longitude|[distance]|[units]`, a point
 * within the distance of the Location.position. Units are UCUM (km when absent); without a
 * distance the server decides, and Hospitium documents 50 km. Distance here is the great-circle
 * distance on a sphere of the IUGG mean radius, computed with the spherical law of cosines (not
 * the product's haversine), so a shared mistake in one formula cannot hide.
 */
const KM_PER_UNIT: Readonly<Record<string, number>> = {
  km: 1,
  m: 0.001,
  mi: 1.609344,
  '[mi_i]': 1.609344,
  '[mi_us]': 1.6093472186944373,
  '[nmi_i]': 1.852,
};

const MEAN_RADIUS_KM = 6371.0088;
const DEFAULT_KM = 50;

function position(item: TypedValue): { latitude: number; longitude: number } | undefined {
  const v = item.value as { latitude?: unknown; longitude?: unknown } | null;
  if (typeof v !== 'object' || v === null) return undefined;
  const { latitude, longitude } = v;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return undefined;
  return { latitude, longitude };
}

export function positionHasValue(item: TypedValue): boolean {
  return position(item) !== undefined;
}

function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const cos =
    Math.sin(lat1 * r) * Math.sin(lat2 * r) +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.cos((lon2 - lon1) * r);
  return MEAN_RADIUS_KM * Math.acos(Math.min(1, Math.max(-1, cos)));
}

/** True when the position lies within the value's distance of its point. */
export function nearMatches(item: TypedValue, value: string): boolean {
  const p = position(item);
  if (!p) return false;
  const [lat, lon, distance = '', units = ''] = splitUnescaped(value, '|');
  const km = distance === '' ? DEFAULT_KM : Number(distance) * (KM_PER_UNIT[units || 'km'] ?? Number.NaN);
  return greatCircleKm(Number(lat), Number(lon), p.latitude, p.longitude) <= km;
}
