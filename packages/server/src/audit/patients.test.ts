import { extractIndexes, patientCompartmentParams, type Resource } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import { queriedPatients } from './interaction.js';
import { patientsOf } from './patients.js';

/** The slow reference: every index row of the resource, filtered to the compartment parameters. */
function fromIndexRows(resource: Resource): string[] {
  const params = patientCompartmentParams(resource.resourceType);
  const ids = new Set<string>(resource.resourceType === 'Patient' ? [resource.id as string] : []);
  for (const row of extractIndexes(resource).reference) {
    if (row.targetType === 'Patient' && row.targetId && params.includes(row.param)) ids.add(row.targetId);
  }
  return [...ids].sort();
}

const cases: Resource[] = [
  { resourceType: 'Patient', id: 'p1', link: [{ other: { reference: 'Patient/p9' }, type: 'seealso' }] },
  {
    resourceType: 'Observation',
    status: 'final',
    code: { text: 'x' },
    subject: { reference: 'Patient/p1' },
    performer: [{ reference: 'Patient/p2' }, { reference: 'Practitioner/d1' }],
    focus: [{ reference: 'Patient/p3' }],
  },
  {
    resourceType: 'Encounter',
    status: 'finished',
    class: { code: 'AMB' },
    subject: { reference: 'http://x/fhir/Patient/p4' },
  },
  { resourceType: 'Organization', name: 'Ward 3' },
  { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Group/g1' } },
  {
    resourceType: 'AuditEvent',
    type: { code: 'rest' },
    recorded: '2026-01-01T00:00:00Z',
    agent: [{ who: { reference: 'Patient/p5' }, requestor: true }],
    source: { observer: { display: 'x' } },
    entity: [{ what: { reference: 'Patient/p6' } }],
  },
];

describe('patientsOf', () => {
  it.each(cases.map((r) => [r.resourceType, r] as const))(
    '%s: the same patients as the index rows',
    (_t, resource) => {
      expect([...patientsOf(resource)].sort()).toEqual(fromIndexRows(resource));
    },
  );

  it('finds subject and performer of an Observation, not its focus', () => {
    expect([...patientsOf(cases[1])].sort()).toEqual(['p1', 'p2']);
    expect(patientsOf(cases[3])).toEqual([]);
  });
});

describe('queriedPatients', () => {
  it('names the patients a search asks about, typed or by the patient parameter', () => {
    const q = new URLSearchParams(
      'subject=Patient/a,Group/g&patient=b&subject:Patient=c&code=Patient/x&performer=Patient/y&subject=d',
    );
    expect(queriedPatients(q)).toEqual(['a', 'b', 'c']);
    expect(queriedPatients(new URLSearchParams('patient=http://other.example/fhir/Patient/e'))).toEqual([
      'e',
    ]);
    expect(queriedPatients(new URLSearchParams('patient=bad%20id'))).toEqual([]);
  });
});
