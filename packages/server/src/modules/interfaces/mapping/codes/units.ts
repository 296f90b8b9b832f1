/**
 * v2 unit strings (OBX-6) → UCUM. Most lab systems already send UCUM (`mg/dL`, `mmol/L`), which
 * is kept as is when it looks like UCUM; these are the common non-UCUM spellings, from the
 * v2-to-FHIR `ConceptMap-v2-ucum-units` and what lab feeds send in practice.
 */
export const unitToUcum: Record<string, string> = {
  'beats/min': '/min',
  bpm: '/min',
  'breaths/min': '/min',
  'mm hg': 'mm[Hg]',
  mmhg: 'mm[Hg]',
  'mm(hg)': 'mm[Hg]',
  'deg c': 'Cel',
  degc: 'Cel',
  c: 'Cel',
  'deg f': '[degF]',
  degf: '[degF]',
  f: '[degF]',
  lb: '[lb_av]',
  lbs: '[lb_av]',
  in: '[in_i]',
  inch: '[in_i]',
  'k/ul': '10*3/uL',
  'k/mm3': '10*3/uL',
  'x10e3/ul': '10*3/uL',
  'x10(3)/ul': '10*3/uL',
  'm/ul': '10*6/uL',
  'x10e6/ul': '10*6/uL',
  'x10(6)/ul': '10*6/uL',
  'mill/ul': '10*6/uL',
  'thou/ul': '10*3/uL',
  mcg: 'ug',
  'mcg/dl': 'ug/dL',
  'mcg/ml': 'ug/mL',
  'mcg/l': 'ug/L',
  'miu/ml': 'm[IU]/mL',
  'uiu/ml': 'u[IU]/mL',
  'iu/l': '[IU]/L',
  'u/l': 'U/L',
  'meq/l': 'meq/L',
  'mg/dl': 'mg/dL',
  'g/dl': 'g/dL',
  'mmol/l': 'mmol/L',
  'umol/l': 'umol/L',
  'ng/ml': 'ng/mL',
  'pg/ml': 'pg/mL',
  fl: 'fL',
  pg: 'pg',
  '%': '%',
  percent: '%',
  sec: 's',
  secs: 's',
  seconds: 's',
  min: 'min',
  hr: 'h',
  hrs: 'h',
  kg: 'kg',
  g: 'g',
  cm: 'cm',
  'ml/min/1.73m2': 'mL/min/{1.73_m2}',
  'ml/min/1.73 m2': 'mL/min/{1.73_m2}',
};

/** UCUM code for a v2 unit, or undefined when it cannot be told (the text is kept as `unit`). */
export function toUcum(unit: string | undefined, system: string | undefined): string | undefined {
  if (!unit) return undefined;
  if (system && /^(UCUM|ANS\+|ISO\+)$/i.test(system)) return unit;
  return unitToUcum[unit.toLowerCase()];
}
