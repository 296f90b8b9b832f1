import { type Resource, validateResource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { SYSTEMS } from '../codes/systems.js';
import { generatePopulation } from '../population.js';
import { type CensusPatient, censusPatient, demoCensus } from './census.js';
import { demoHospital } from './demo-hospital.js';

const resources = (bundle: { entry?: { resource?: Resource }[] }) =>
  (bundle.entry ?? []).map((e) => e.resource!);
const identifierOf = (r: Resource) =>
  (r as { identifier?: { system?: string; value?: string }[] }).identifier?.find(
    (i) => i.system === SYSTEMS.locationId,
  )?.value;
const code = (r: Resource, path: 'physicalType' | 'operationalStatus') => {
  const v = (r as Record<string, unknown>)[path] as
    | { coding?: { code: string }[]; code?: string }
    | undefined;
  return v?.code ?? v?.coding?.[0]?.code;
};

function population(patients: number): CensusPatient[] {
  const out: CensusPatient[] = [];
  for (const bundle of generatePopulation({ patients, seed: 'demo-test' }).patients()) {
    const patient = resources(bundle).find((r) => r.resourceType === 'Patient')!;
    const facts = censusPatient(patient);
    if (facts) out.push(facts);
  }
  return out;
}

describe('demo hospital', () => {
  const hospital = demoHospital('demo-test');
  const all = resources(hospital.bundle);

  it('is the same hospital for the same seed, and another for another seed', () => {
    expect(JSON.stringify(demoHospital('demo-test').bundle)).toBe(JSON.stringify(hospital.bundle));
    expect(JSON.stringify(demoHospital('other').bundle)).not.toBe(JSON.stringify(hospital.bundle));
  });

  it('has 150–300 beds as unit → room → bed Locations, every one valid R4', () => {
    const beds = all.filter((r) => r.resourceType === 'Location' && code(r, 'physicalType') === 'bd');
    expect(beds.length).toBe(hospital.beds.length);
    expect(beds.length).toBeGreaterThanOrEqual(150);
    expect(beds.length).toBeLessThanOrEqual(300);
    const byUrl = new Map((hospital.bundle.entry ?? []).map((e) => [e.fullUrl, e.resource!]));
    for (const bed of beds) {
      const room = byUrl.get((bed as { partOf?: { reference: string } }).partOf!.reference)!;
      expect(code(room, 'physicalType')).toBe('ro');
      const unit = (room as { partOf?: { reference: string } }).partOf!.reference;
      expect(unit).toMatch(/^(urn:uuid:|Location\?identifier=)/);
      expect(code(bed, 'operationalStatus')).toBe('U');
    }
    for (const r of all)
      expect(validateResource(r), `${r.resourceType} ${identifierOf(r) ?? ''}`).toEqual([]);
  });

  it('staffs every unit with nurses and has 30+ practitioners, and one demo user per role', () => {
    expect(hospital.staff.length).toBeGreaterThanOrEqual(30);
    for (const unit of new Set(hospital.beds.map((b) => b.unit.key))) {
      expect(
        hospital.staff.some((s) => s.job === 'nurse' && s.unit === unit),
        unit,
      ).toBe(true);
    }
    expect(hospital.users.map((u) => u.username)).toEqual([
      'registrar',
      'bedmanager',
      'nurse',
      'physician',
      'pharmacist',
      'labtech',
      'biller',
      'admin',
    ]);
    const npis = new Set(hospital.staff.map((s) => s.npi));
    for (const user of hospital.users) expect(npis.has(user.npi)).toBe(true);
    expect(npis.size).toBe(hospital.staff.length);
  });

  describe('census', () => {
    const patients = population(150);
    const now = new Date('2026-03-01T12:00:00Z');
    const { bundle, summary } = demoCensus({ hospital, patients, now, seed: 'demo-test' });
    const entries = resources(bundle);
    const encounters = entries.filter((r) => r.resourceType === 'Encounter') as (Resource & {
      subject: { reference: string };
      location: { location: { reference: string } }[];
      period: { start: string };
    })[];

    it('puts one living patient in each occupied bed, in a unit that fits them', () => {
      expect(summary.admitted).toBeGreaterThan(40);
      expect(summary.inEmergency).toBeGreaterThan(3);
      expect(encounters.length).toBe(summary.admitted + summary.inEmergency);
      const subjects = encounters.map((e) => e.subject.reference);
      expect(new Set(subjects).size).toBe(subjects.length);
      const beds = encounters.map((e) => e.location[0]!.location.reference);
      expect(new Set(beds).size).toBe(beds.length);
      const byMrn = new Map(patients.map((p) => [p.mrn, p]));
      for (const e of encounters) {
        const patient = byMrn.get(e.subject.reference.split('|')[1]!)!;
        expect(patient.deceased).toBe(false);
        const bed = e.location[0]!.location.reference;
        const years = 2026 - Number(patient.birthDate.slice(0, 4));
        if (bed.includes('-pediatrics-')) expect(years).toBeLessThanOrEqual(18);
        else expect(years).toBeGreaterThanOrEqual(17);
        if (bed.includes('-maternity-')) expect(patient.gender).toBe('female');
        expect(Date.parse(e.period.start)).toBeLessThan(now.getTime());
      }
    });

    it('marks occupied beds O and some free beds dirty, books elective visits, all valid R4', () => {
      const bedUpdates = entries.filter((r) => r.resourceType === 'Location');
      expect(bedUpdates.filter((b) => code(b, 'operationalStatus') === 'O')).toHaveLength(encounters.length);
      expect(bedUpdates.filter((b) => code(b, 'operationalStatus') === 'H')).toHaveLength(summary.dirtyBeds);
      expect(summary.dirtyBeds).toBeGreaterThan(0);
      expect(summary.appointments).toBeGreaterThan(5);
      expect(entries.filter((r) => r.resourceType === 'CareTeam')).toHaveLength(encounters.length);
      for (const r of entries) expect(validateResource(r), r.resourceType).toEqual([]);
    });

    it('is the same census for the same seed, patients and time', () => {
      expect(JSON.stringify(demoCensus({ hospital, patients, now, seed: 'demo-test' }).bundle)).toBe(
        JSON.stringify(bundle),
      );
    });
  });
});
