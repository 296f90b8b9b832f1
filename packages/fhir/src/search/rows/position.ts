import type { PositionIndexRow } from '../types.js';
import { finiteNumber, isRecord } from './values.js';

/**
 * A position row from a Location.position-shaped value (`latitude`, `longitude` in decimal
 * degrees, WGS84). Values off the globe give no row rather than a row no search could match.
 */
export function positionRows(param: string, value: unknown, out: PositionIndexRow[]): void {
  if (!isRecord(value)) return;
  const latitude = finiteNumber(value.latitude);
  const longitude = finiteNumber(value.longitude);
  if (latitude === null || longitude === null) return;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return;
  out.push({ param, latitude, longitude });
}
