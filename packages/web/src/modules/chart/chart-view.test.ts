import { describe, expect, it } from 'vitest';
import {
  codeStatusFlag,
  currentLocation,
  type Encounter,
  latestByCode,
  type Observation,
  observationValue,
  trendSeries,
} from './chart-view';

const loinc = (code: string, text: string) => ({ coding: [{ system: 'http://loinc.org', code }], text });
const obs = (code: string, at: string, value: number, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: loinc(code, code),
  effectiveDateTime: at,
  valueQuantity: { value, unit: 'kg' },
  ...extra,
});

describe('currentLocation', () => {
  const bedType = { coding: [{ code: 'bd' }] };
  it('prefers the active bed over the ward, and ignores completed locations', () => {
    const e: Encounter = {
      resourceType: 'Encounter',
      location: [
        { location: { display: 'ICU 01-A' }, status: 'completed', physicalType: bedType },
        { location: { display: 'Medical-Surgical Unit' }, status: 'active' },
        { location: { display: '3E 01-A' }, status: 'active', physicalType: bedType },
      ],
    };
    expect(currentLocation(e)).toBe('3E 01-A');
  });
  it('is empty without an encounter', () => {
    expect(currentLocation(undefined)).toBe('');
  });
});

describe('codeStatusFlag', () => {
  const codes = ['http://snomed.info/sct|304253006'];
  const flag = (status: string, code: string) => ({
    status,
    code: { coding: [{ system: 'http://snomed.info/sct', code }] },
  });
  it('finds the active flag with a code-status code, not other flags or inactive ones', () => {
    const active = flag('active', '304253006');
    expect(codeStatusFlag([flag('active', '1234'), flag('inactive', '304253006'), active], codes)).toBe(
      active,
    );
    expect(codeStatusFlag([flag('inactive', '304253006')], codes)).toBeUndefined();
    expect(codeStatusFlag([], codes)).toBeUndefined();
  });
});

describe('observations', () => {
  it('keeps the latest of each code, newest first, skipping entered-in-error', () => {
    const latest = latestByCode([
      obs('29463-7', '2024-01-01', 80),
      obs('29463-7', '2025-01-01', 82),
      obs('8302-2', '2023-01-01', 180),
      obs('8302-2', '2026-01-01', 999, { status: 'entered-in-error' }),
    ]);
    expect(latest.map((o) => [o.code?.text, o.valueQuantity?.value])).toEqual([
      ['29463-7', 82],
      ['8302-2', 180],
    ]);
  });

  it('draws a trend oldest first from the numbers only', () => {
    expect(
      trendSeries([
        obs('29463-7', '2025-01-01T10:00:00Z', 82),
        obs('29463-7', '2024-01-01T10:00:00Z', 80),
        { resourceType: 'Observation', code: loinc('29463-7', 'w'), effectiveDateTime: '2024-06-01' },
      ]),
    ).toEqual([
      { date: '2024-01-01', value: 80 },
      { date: '2025-01-01', value: 82 },
    ]);
  });

  it('reads a blood pressure as systolic/diastolic', () => {
    const bp: Observation = {
      resourceType: 'Observation',
      component: [
        { code: loinc('8480-6', 's'), valueQuantity: { value: 120, unit: 'mm[Hg]' } },
        { code: loinc('8462-4', 'd'), valueQuantity: { value: 80, unit: 'mm[Hg]' } },
      ],
    };
    expect(observationValue(bp)).toBe('120/80 mm[Hg]');
    expect(observationValue(obs('x', '2024', 81.456))).toBe('81.46 kg');
  });
});
