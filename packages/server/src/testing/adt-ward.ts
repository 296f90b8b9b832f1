import type { Resource } from '@hospitium/fhir';
import { adtSystems } from '../modules/adt/codes.js';
import type { TestServer } from './test-server.js';

/** A small ward for ADT tests: one unit, two rooms, `beds` beds (clean unless said otherwise). */
export interface TestWard {
  unit: string;
  rooms: string[];
  beds: string[];
  patients: string[];
  attending: string;
}

const physical = (code: string) => ({ coding: [{ system: adtSystems.physicalType, code }] });

/** Creates the ward through the API (unit → rooms → beds), `patients` patients and an attending physician. */
export async function createTestWard(
  server: TestServer,
  options: { beds?: number; patients?: number; code?: string; status?: (i: number) => string } = {},
): Promise<TestWard> {
  const code = options.code ?? `W${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
  const unit = await server.create({
    resourceType: 'Location',
    name: `Ward ${code}`,
    alias: [code],
    status: 'active',
    mode: 'instance',
    physicalType: physical('wa'),
  } as Resource);
  const rooms: string[] = [];
  for (let r = 1; r <= 2; r++) {
    const room = await server.create({
      resourceType: 'Location',
      name: `${code} 0${r}`,
      status: 'active',
      mode: 'instance',
      physicalType: physical('ro'),
      partOf: { reference: `Location/${unit.id}` },
    } as Resource);
    rooms.push(room.id as string);
  }
  const beds: string[] = [];
  for (let i = 0; i < (options.beds ?? 4); i++) {
    const status = options.status?.(i) ?? 'U';
    const bed = await server.create({
      resourceType: 'Location',
      name: `${code} 0${(i % 2) + 1}-${'ABCDEFGH'[Math.floor(i / 2)]}`,
      status: status === 'C' ? 'suspended' : 'active',
      mode: 'instance',
      operationalStatus: { system: adtSystems.bedStatus, code: status },
      physicalType: physical('bd'),
      partOf: { reference: `Location/${rooms[i % 2]}` },
    } as Resource);
    beds.push(bed.id as string);
  }
  const patients: string[] = [];
  for (let i = 0; i < (options.patients ?? 4); i++) {
    const p = await server.create({
      resourceType: 'Patient',
      identifier: [{ system: adtSystems.mrn, value: `${code}-${i}` }],
      name: [{ family: `Patient${i}`, given: [code] }],
      gender: i % 2 ? 'male' : 'female',
      birthDate: `19${50 + i}-03-0${(i % 9) + 1}`,
    } as Resource);
    patients.push(p.id as string);
  }
  const doc = await server.create({
    resourceType: 'Practitioner',
    name: [{ family: 'House', given: ['Greg'], prefix: ['Dr.'] }],
  } as Resource);
  return { unit: unit.id as string, rooms, beds, patients, attending: doc.id as string };
}

/** A Parameters body from name → value pairs (`Patient/1` strings become references). */
export function params(values: Record<string, string | { code: string } | { dateTime: string }>): Resource {
  return {
    resourceType: 'Parameters',
    parameter: Object.entries(values).map(([name, v]) =>
      typeof v === 'object'
        ? 'code' in v
          ? { name, valueCode: v.code }
          : { name, valueDateTime: v.dateTime }
        : /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+$/.test(v)
          ? { name, valueReference: { reference: v } }
          : { name, valueString: v },
    ),
  } as Resource;
}
