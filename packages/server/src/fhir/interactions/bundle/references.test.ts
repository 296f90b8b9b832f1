import { describe, expect, it } from 'vitest';
import { planEntry } from './entries.js';
import { findBundleReferences, rewriteReferences } from './references.js';

const base = 'http://test/fhir';

describe('bundle references', () => {
  it('finds urn, fullUrl and conditional references at any depth and rewrites them', () => {
    const obs = {
      resourceType: 'Observation',
      subject: { reference: 'urn:uuid:p1' },
      performer: [{ reference: 'Practitioner?identifier=http://npi|1' }, { reference: 'Practitioner/keep' }],
      component: [{ valueReference: { reference: 'http://other/Patient/9' } }],
      note: [{ text: 'urn:uuid:p1' }],
    };
    const entries = [planEntry({ resource: obs, request: { method: 'POST', url: 'Observation' } }, 2, base)];
    const targets = new Map([
      ['urn:uuid:p1', 'Patient/abc'],
      ['http://other/Patient/9', 'Patient/def'],
      ['Practitioner?identifier=http://npi|1', 'Practitioner/pr1'],
    ]);
    const refs = findBundleReferences(entries, targets);
    expect(refs.map((r) => r.value).sort()).toEqual([
      'Practitioner?identifier=http://npi|1',
      'http://other/Patient/9',
      'urn:uuid:p1',
    ]);
    expect(refs.every((r) => r.entryIndex === 2)).toBe(true);
    expect(rewriteReferences(refs, targets)).toEqual([]);
    expect(obs.subject.reference).toBe('Patient/abc');
    expect(obs.performer.map((p) => p.reference)).toEqual(['Practitioner/pr1', 'Practitioner/keep']);
    expect(obs.component[0].valueReference.reference).toBe('Patient/def');
    // Only Reference.reference is rewritten; text that happens to equal the urn stays.
    expect(obs.note[0].text).toBe('urn:uuid:p1');
  });

  it('reports urn references no entry declares', () => {
    const resource = { resourceType: 'Observation', subject: { reference: 'urn:uuid:missing' } };
    const entries = [planEntry({ resource, request: { method: 'POST', url: 'Observation' } }, 0, base)];
    const failures = rewriteReferences(findBundleReferences(entries, new Map()), new Map());
    expect(failures).toHaveLength(1);
    expect(failures[0].entryIndex).toBe(0);
    expect(resource.subject.reference).toBe('urn:uuid:missing');
  });
});
