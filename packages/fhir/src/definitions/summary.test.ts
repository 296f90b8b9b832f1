import { describe, expect, it } from 'vitest';
import { topLevelElements } from './summary.js';

describe('topLevelElements', () => {
  it('reads isSummary and min from the R4 Observation definition, choices expanded', () => {
    const obs = topLevelElements('Observation');
    expect(obs).toBeDefined();
    for (const name of ['id', 'meta', 'status', 'code', 'subject', 'valueQuantity', 'effectiveDateTime'])
      expect(obs?.summary.has(name), name).toBe(true);
    for (const name of ['text', 'note', 'referenceRange', 'interpretation'])
      expect(obs?.summary.has(name), name).toBe(false);
    expect([...(obs?.mandatory ?? [])].sort()).toEqual(['_status', 'code', 'status']);
    expect(obs?.all.has('valueCodeableConcept')).toBe(true);
    expect(obs?.all.has('value[x]')).toBe(false);
  });

  it('is undefined for datatypes and unknown names', () => {
    expect(topLevelElements('HumanName')).toBeUndefined();
    expect(topLevelElements('Nope')).toBeUndefined();
  });
});
