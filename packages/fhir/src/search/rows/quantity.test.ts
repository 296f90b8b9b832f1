import { describe, expect, it } from 'vitest';
import type { Resource } from '../../types.js';
import { extractIndexes } from '../index.js';

const UCUM = 'http://unitsofmeasure.org';

/** The rows of one parameter, without the `param` column. */
function rowsOf(
  resource: Resource,
  table: 'quantity' | 'number' | 'uri',
  param: string,
): Record<string, unknown>[] {
  return (extractIndexes(resource)[table] as { param: string }[])
    .filter((r) => r.param === param)
    .map(({ param: _p, ...rest }) => rest);
}

describe('quantity rows', () => {
  it('Quantity: value, system, code and unit', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      valueQuantity: { value: 185, unit: 'lbs', system: UCUM, code: '[lb_av]' },
    };
    expect(rowsOf(obs, 'quantity', 'value-quantity')).toEqual([
      { value: 185, system: UCUM, code: '[lb_av]', unit: 'lbs' },
    ]);
  });

  it('component values (blood pressure) give a row each', () => {
    const bp: Resource = {
      resourceType: 'Observation',
      component: [
        {
          code: { text: 'systolic' },
          valueQuantity: { value: 120, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' },
        },
        {
          code: { text: 'diastolic' },
          valueQuantity: { value: 80.5, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' },
        },
        { code: { text: 'note' }, valueString: 'cuff too small' },
      ],
    };
    expect(rowsOf(bp, 'quantity', 'component-value-quantity').map((r) => r.value)).toEqual([120, 80.5]);
  });

  it('Quantity profiles (Age, Duration) count as quantities', () => {
    const condition: Resource = {
      resourceType: 'Condition',
      onsetAge: { value: 45, unit: 'years', system: UCUM, code: 'a' },
    };
    expect(rowsOf(condition, 'quantity', 'onset-age')).toEqual([
      { value: 45, system: UCUM, code: 'a', unit: 'years' },
    ]);
    const encounter: Resource = { resourceType: 'Encounter', length: { value: 3, unit: 'days' } };
    expect(rowsOf(encounter, 'quantity', 'length')).toEqual([
      { value: 3, system: null, code: null, unit: 'days' },
    ]);
  });

  it('Money: the value, with the currency as code in ISO 4217', () => {
    const invoice: Resource = {
      resourceType: 'Invoice',
      totalNet: { value: 100.5, currency: 'EUR' },
      totalGross: { value: 7 },
    };
    expect(rowsOf(invoice, 'quantity', 'totalnet')).toEqual([
      { value: 100.5, system: 'urn:iso:std:iso:4217', code: 'EUR', unit: null },
    ]);
    expect(rowsOf(invoice, 'quantity', 'totalgross')).toEqual([
      { value: 7, system: null, code: null, unit: null },
    ]);
  });

  it('no row without a numeric value, nor for Range or SampledData', () => {
    const obs = (v: Partial<Resource>) =>
      rowsOf({ resourceType: 'Observation', ...v }, 'quantity', 'value-quantity');
    expect(obs({ valueQuantity: { value: '185', unit: 'lbs' } })).toEqual([]);
    expect(obs({ valueQuantity: { unit: 'lbs' } })).toEqual([]);
    expect(obs({ valueSampledData: { origin: { value: 0 }, period: 1, dimensions: 1 } })).toEqual([]);
    const def: Resource = {
      resourceType: 'ActivityDefinition',
      useContext: [{ code: { code: 'age' }, valueRange: { low: { value: 18 }, high: { value: 65 } } }],
    };
    expect(rowsOf(def, 'quantity', 'context-quantity')).toEqual([]);
  });
});

describe('number rows', () => {
  it('decimal and integer values', () => {
    const risk: Resource = {
      resourceType: 'RiskAssessment',
      prediction: [{ probabilityDecimal: 0.25 }, { probabilityDecimal: 0 }],
    };
    expect(rowsOf(risk, 'number', 'probability')).toEqual([{ value: 0.25 }, { value: 0 }]);
    const seq: Resource = { resourceType: 'MolecularSequence', variant: [{ start: 128, end: 129 }] };
    expect(rowsOf(seq, 'number', 'variant-start')).toEqual([{ value: 128 }]);
  });

  it('no row for a Range alternative or a non-number', () => {
    const risk = {
      resourceType: 'RiskAssessment',
      prediction: [{ probabilityRange: { low: { value: 0.1 } } }, { probabilityDecimal: '0.3' }],
    } as unknown as Resource;
    expect(rowsOf(risk, 'number', 'probability')).toEqual([]);
  });
});

describe('uri rows', () => {
  it('url, meta.profile and meta.source', () => {
    const vs: Resource = {
      resourceType: 'ValueSet',
      url: 'http://example.org/fhir/ValueSet/wards',
      meta: {
        profile: ['http://hl7.org/fhir/StructureDefinition/shareablevalueset'],
        source: 'urn:hospitium:import#42',
      },
    };
    expect(rowsOf(vs, 'uri', 'url')).toEqual([{ value: 'http://example.org/fhir/ValueSet/wards' }]);
    expect(rowsOf(vs, 'uri', '_profile')).toEqual([
      { value: 'http://hl7.org/fhir/StructureDefinition/shareablevalueset' },
    ]);
    expect(rowsOf(vs, 'uri', '_source')).toEqual([{ value: 'urn:hospitium:import#42' }]);
  });

  it('skips empty and non-string values', () => {
    const vs = {
      resourceType: 'ValueSet',
      url: '',
      meta: { profile: [7, 'http://p'] },
    } as unknown as Resource;
    expect(rowsOf(vs, 'uri', 'url')).toEqual([]);
    expect(rowsOf(vs, 'uri', '_profile')).toEqual([{ value: 'http://p' }]);
  });
});
