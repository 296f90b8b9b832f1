import type { Bundle, Resource } from '@hospitium/fhir';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation } from './population.js';

/*
 * Clinical plausibility of a generated population: the checks a clinician reviewing the demo
 * data would make (who is in it, what their vitals and labs look like, how disease and care
 * unfold over time).
 */

const AS_OF = Date.parse('2026-01-01T05:00:00Z');
const YEAR = 365.2425 * 86_400_000;

let bundles: Bundle[];
const resourcesOf = (bundle: Bundle, type: string) =>
  (bundle.entry ?? []).map((e) => e.resource!).filter((r) => r.resourceType === type);
const codeOf = (r: Resource, field = 'code') => (r[field] as { coding: { code: string }[] }).coding[0]!.code;
const quantityOf = (r: Resource) => (r.valueQuantity as { value: number }).value;

beforeAll(() => {
  bundles = [...generatePopulation({ patients: 300, seed: 'clinical' }).patients()];
});

describe('a generated population', () => {
  it('has both sexes, every age from infants to the very old, and complete demographics', () => {
    const patients = bundles.map((b) => b.entry![0]!.resource!);
    const ages = patients.map((p) => (AS_OF - Date.parse(p.birthDate as string)) / YEAR);
    const female = patients.filter((p) => p.gender === 'female').length / patients.length;
    expect(female).toBeGreaterThan(0.4);
    expect(female).toBeLessThan(0.6);
    expect(ages.some((a) => a < 5)).toBe(true);
    expect(ages.some((a) => a >= 80)).toBe(true);
    const children = ages.filter((a) => a < 18).length / ages.length;
    expect(children).toBeGreaterThan(0.12);
    expect(children).toBeLessThan(0.3);
    for (const p of patients) {
      const urls = (p.extension as { url: string }[]).map((e) => e.url);
      expect(urls).toContain('http://hl7.org/fhir/us/core/StructureDefinition/us-core-race');
      expect(urls).toContain('http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity');
      const types = (p.identifier as { type?: { coding: { code: string }[] } }[]).map(
        (i) => i.type?.coding[0]?.code,
      );
      expect(types).toEqual(expect.arrayContaining(['MR', 'SS']));
      expect(p.address).toHaveLength(1);
      expect(p.maritalStatus).toBeDefined();
      expect(p.communication).toHaveLength(1);
    }
    const names = new Set(patients.map((p) => (p.name as { family: string }[])[0]!.family));
    expect(names.size).toBeGreaterThan(100);
  });

  it('every encounter lies within the patient’s life, and each has one Claim and one ExplanationOfBenefit', () => {
    for (const bundle of bundles) {
      const patient = bundle.entry![0]!.resource!;
      const birth = Date.parse(patient.birthDate as string);
      const end = patient.deceasedDateTime ? Date.parse(patient.deceasedDateTime as string) : AS_OF;
      const encounters = bundle.entry!.filter((e) => e.resource!.resourceType === 'Encounter');
      for (const e of encounters) {
        const { start, end: stop } = e.resource!.period as { start: string; end: string };
        expect(Date.parse(start)).toBeGreaterThanOrEqual(birth - 86_400_000);
        expect(Date.parse(stop)).toBeGreaterThanOrEqual(Date.parse(start));
        expect(Date.parse(stop)).toBeLessThanOrEqual(end);
        const claimsFor = (type: string) =>
          resourcesOf(bundle, type).filter(
            (c) =>
              (c.item as { encounter?: { reference: string }[] }[])[0]?.encounter?.[0]?.reference ===
                e.fullUrl && codeOf(c, 'type') !== 'pharmacy',
          );
        expect(claimsFor('Claim')).toHaveLength(1);
        expect(claimsFor('ExplanationOfBenefit')).toHaveLength(1);
        if ((e.resource!.class as { code: string }).code === 'IMP') {
          expect(Date.parse(stop) - Date.parse(start)).toBeGreaterThanOrEqual(2 * 86_400_000);
          expect(e.resource!.hospitalization).toBeDefined();
        }
      }
    }
  });

  it('vital signs stay within physiological ranges and children grow', () => {
    const bounds: Record<string, [number, number]> = {
      '8302-2': [40, 215],
      '29463-7': [2, 250],
      '39156-5': [10, 70],
      '8480-6': [70, 220],
      '8462-4': [35, 130],
      '8867-4': [40, 190],
      '9279-1': [8, 60],
      '8310-5': [35, 41],
      '2708-6': [80, 100],
    };
    let checked = 0;
    for (const bundle of bundles) {
      const heights: [string, number][] = [];
      for (const o of resourcesOf(bundle, 'Observation')) {
        const values = o.component
          ? (o.component as Resource[]).map((c) => [codeOf(c), quantityOf(c)] as const)
          : o.valueQuantity
            ? [[codeOf(o), quantityOf(o)] as const]
            : [];
        for (const [code, value] of values) {
          const range = bounds[code];
          if (!range) continue;
          checked++;
          expect(value, code).toBeGreaterThanOrEqual(range[0]);
          expect(value, code).toBeLessThanOrEqual(range[1]);
        }
        if (codeOf(o) === '8302-2') heights.push([o.effectiveDateTime as string, quantityOf(o)]);
      }
      const birth = Date.parse(bundle.entry![0]!.resource!.birthDate as string);
      const childhood = heights.filter(([at]) => Date.parse(at) - birth < 16 * YEAR).sort();
      for (let i = 1; i < childhood.length; i++)
        expect(childhood[i]![1]).toBeGreaterThan(childhood[i - 1]![1] - 1.5);
    }
    expect(checked).toBeGreaterThan(300 * 50);
  });

  it('chronic disease is common in the old and rare in the young, at about US prevalence', () => {
    const hasCondition = (b: Bundle, code: string) =>
      resourcesOf(b, 'Condition').some((c) => codeOf(c) === code);
    const age = (b: Bundle) => (AS_OF - Date.parse(b.entry![0]!.resource!.birthDate as string)) / YEAR;
    const old = bundles.filter((b) => age(b) >= 60);
    const young = bundles.filter((b) => age(b) < 30);
    const share = (group: Bundle[], code: string) =>
      group.filter((b) => hasCondition(b, code)).length / group.length;
    expect(share(old, '59621000')).toBeGreaterThan(0.35);
    expect(share(old, '59621000')).toBeLessThan(0.85);
    expect(share(young, '59621000')).toBeLessThan(0.1);
    const diabetes = share(bundles, '44054006');
    expect(diabetes).toBeGreaterThan(0.03);
    expect(diabetes).toBeLessThan(0.2);
  });

  it('diabetics have HbA1c in the diabetic range that rises over the years between treatments', () => {
    let rising = 0;
    let falling = 0;
    for (const bundle of bundles) {
      if (!resourcesOf(bundle, 'Condition').some((c) => codeOf(c) === '44054006')) continue;
      const a1c = resourcesOf(bundle, 'Observation')
        .filter((o) => codeOf(o) === '4548-4')
        .map((o) => [o.effectiveDateTime as string, quantityOf(o)] as const)
        .sort();
      if (a1c.length < 4) continue;
      expect(Math.max(...a1c.map(([, v]) => v))).toBeGreaterThanOrEqual(6.5);
      const half = Math.floor(a1c.length / 2);
      const mean = (xs: (readonly [string, number])[]) => xs.reduce((s, [, v]) => s + v, 0) / xs.length;
      if (mean(a1c.slice(half)) > mean(a1c.slice(0, half))) rising++;
      else falling++;
    }
    expect(rising + falling).toBeGreaterThan(5);
    expect(rising / (rising + falling)).toBeGreaterThan(0.55);
  });

  it('treats what it diagnoses: hypertensives get antihypertensives, lab panels are reported together', () => {
    for (const bundle of bundles) {
      const conditions = resourcesOf(bundle, 'Condition');
      const drugs = new Set(
        resourcesOf(bundle, 'MedicationRequest').map((m) => codeOf(m, 'medicationCodeableConcept')),
      );
      const hypertensive = conditions.some((c) => codeOf(c) === '59621000');
      const encounters = resourcesOf(bundle, 'Encounter').length;
      if (hypertensive && encounters > 0)
        expect([...drugs].some((d) => ['310798', '314076', '197361'].includes(d))).toBe(true);
      for (const c of conditions) {
        const status = (c.clinicalStatus as { coding: { code: string }[] }).coding[0]!.code;
        expect(status).toBe(c.abatementDateTime ? 'resolved' : 'active');
      }
      const byUrl = new Map(bundle.entry!.map((e) => [e.fullUrl, e.resource!]));
      for (const report of resourcesOf(bundle, 'DiagnosticReport')) {
        const results = (report.result as { reference: string }[]).map((r) => byUrl.get(r.reference)!);
        expect(results.length).toBeGreaterThanOrEqual(4);
        for (const o of results) {
          expect(o.resourceType).toBe('Observation');
          expect(o.effectiveDateTime).toBe(report.effectiveDateTime);
        }
      }
    }
  });
});
