import { isOperationOutcomeError } from '@hospitium/fhir';
import { describe, expect, it } from 'vitest';
import type { FhirRequest } from '../fhir/types.js';
import { parseKickOff, splitTypeFilter } from './parameters.js';

const request = (query: string, init: Partial<FhirRequest> = {}): FhirRequest => ({
  method: 'GET',
  segments: ['$export'],
  query: new URLSearchParams(query),
  headers: { prefer: 'respond-async' },
  body: undefined,
  ...init,
});

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isOperationOutcomeError(err)) return `${err.status} ${err.message}`;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('splitTypeFilter', () => {
  it('splits on commas that start a new query, not on OR commas inside one', () => {
    expect(splitTypeFilter('Observation?status=final,amended,Condition?clinical-status=active')).toEqual([
      'Observation?status=final,amended',
      'Condition?clinical-status=active',
    ]);
    expect(splitTypeFilter('Observation?code=a')).toEqual(['Observation?code=a']);
  });
});

describe('parseKickOff', () => {
  it('reads _type, _since (with an unencoded + offset) and _typeFilter', () => {
    const { request: parsed } = parseKickOff(
      request(
        `_type=Observation,Patient&_type=Observation&_since=2024-01-02T03:04:05+01:00&_typeFilter=${encodeURIComponent('Observation?status=final')}`,
      ),
      'system',
    );
    expect(parsed).toEqual({
      level: 'system',
      types: ['Observation', 'Patient'],
      since: '2024-01-02T02:04:05.000Z',
      typeFilters: { Observation: ['status=final'] },
      outputFormat: 'application/fhir+ndjson',
    });
  });

  it('requires Prefer: respond-async (alone or among other preferences)', () => {
    expect(failure(() => parseKickOff(request('', { headers: {} }), 'system'))).toMatch(
      /^400 .*respond-async/,
    );
    expect(
      parseKickOff(request('', { headers: { prefer: 'handling=strict, respond-async' } }), 'system').ignored,
    ).toEqual([]);
  });

  it('reads patient references from a POST Parameters body, and refuses other shapes', () => {
    const post = (parameter: unknown[]) =>
      request('', {
        method: 'POST',
        segments: ['Patient', '$export'],
        body: { resourceType: 'Parameters', parameter },
      });
    expect(
      parseKickOff(post([{ name: 'patient', valueReference: { reference: 'Patient/a1' } }]), 'patient')
        .request.patients,
    ).toEqual(['a1']);
    expect(
      failure(() => parseKickOff(post([{ name: 'patient', valueString: 'Patient/a1' }]), 'patient')),
    ).toMatch(/needs a valueReference/);
    expect(
      failure(() =>
        parseKickOff(post([{ name: 'patient', valueReference: { reference: 'Patient/a1' } }]), 'system'),
      ),
    ).toMatch(/only to Patient and Group/);
    expect(failure(() => parseKickOff(post([{ value: 1 }]), 'patient'))).toMatch(/has no name/);
  });

  it('drops compartment-less types under handling=lenient and reports them', () => {
    const lenient = parseKickOff(
      request('_type=Patient,Organization', { headers: { prefer: 'respond-async; handling=lenient' } }),
      'patient',
    );
    expect(lenient.request.types).toEqual(['Patient']);
    expect(lenient.ignored[0]).toMatch(/Organization is not in the Patient compartment/);
  });
});
