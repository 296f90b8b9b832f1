import type { Hl7Segment } from '@hospitium/hl7v2';
import type { BundleBuilder } from './bundle-builder.js';
import { composite } from './datatypes.js';

export const locationSystem = 'urn:hospitium:hl7v2:location';

/**
 * PL (person location: point of care^room^bed^facility^…) → Location
 * resources: the ward (point of care), the room within it and the bed within the room, each
 * matched by an identifier built from facility and the path so that every message naming
 * `4E^136^B` points at the same bed. They are created when first named and not rewritten by
 * every later message (locations are reference data, managed in Hospitium once they exist).
 * Returns the most specific one's fullUrl.
 */
export function mapLocation(b: BundleBuilder, seg: Hl7Segment, field: number): string | undefined {
  const pl = composite(seg, field);
  if (!pl) return undefined;
  const facility = pl.s(4, 1) ?? pl.s(4, 2) ?? '';
  const levels = [
    { name: pl.c(1), code: 'wa', display: 'Ward' },
    { name: pl.c(2), code: 'ro', display: 'Room' },
    { name: pl.c(3), code: 'bd', display: 'Bed' },
  ];
  let parent: string | undefined;
  const path: string[] = [facility];
  for (const level of levels) {
    if (!level.name) continue;
    path.push(level.name);
    const value = path.join('/');
    const location = {
      resourceType: 'Location',
      identifier: [{ system: locationSystem, value }],
      status: 'active',
      name: path.slice(1).join(' '),
      mode: 'instance',
      physicalType: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
            code: level.code,
            display: level.display,
          },
        ],
      },
      ...(parent ? { partOf: { reference: parent } } : {}),
    };
    parent = b.ensure(location, { system: locationSystem, value }, b.at(seg, field));
  }
  return parent;
}
