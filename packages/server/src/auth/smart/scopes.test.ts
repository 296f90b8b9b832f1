import { describe, expect, it } from 'vitest';
import { grantableScopes, parseResourceScope, parseScopes, scopeCovers } from './scopes.js';

describe('SMART scope parsing', () => {
  it.each([
    ['patient/*.rs', 'patient', '*', 'rs', undefined],
    ['user/*.cruds', 'user', '*', 'cruds', undefined],
    ['system/Observation.c', 'system', 'Observation', 'c', undefined],
    ['system/*.*', 'system', '*', 'cruds', undefined],
    ['patient/Observation.read', 'patient', 'Observation', 'rs', undefined],
    ['user/Patient.write', 'user', 'Patient', 'cud', undefined],
    [
      'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory',
      'patient',
      'Observation',
      'rs',
      [['category', 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory']],
    ],
  ])('%s', (text, context, resourceType, perms, restriction) => {
    const scope = parseResourceScope(text);
    expect(scope).toBeDefined();
    expect(scope?.context).toBe(context);
    expect(scope?.resourceType).toBe(resourceType);
    expect([...(scope?.permissions ?? [])].join('')).toBe(perms);
    expect(scope?.restriction).toEqual(restriction);
  });

  it.each([
    'openid',
    'launch/patient',
    'patient/*.rsc',
    'patient/*.',
    'patient/*.x',
    'doctor/*.rs',
    'patient/observation.rs',
    'patient/Observation.read?category=x',
    'patient/Observation.rs?',
    'patient/Observation.rs?category=',
  ])('%s is not a resource scope', (text) => {
    expect(parseResourceScope(text)).toBeUndefined();
  });

  it('splits a scope string into resource scopes and the rest', () => {
    const { resources, other } = parseScopes('openid fhirUser launch/patient patient/*.rs  offline_access');
    expect(resources.map((r) => r.text)).toEqual(['patient/*.rs']);
    expect(other).toEqual(['openid', 'fhirUser', 'launch/patient', 'offline_access']);
  });
});

describe('what a client may be granted', () => {
  const p = (t: string) => {
    const s = parseResourceScope(t);
    if (!s) throw new Error(t);
    return s;
  };
  it.each([
    ['system/*.*', 'system/Patient.rs', true],
    ['system/*.rs', 'system/Patient.c', false],
    ['system/*.rs', 'user/Patient.rs', false],
    ['patient/Observation.rs', 'patient/*.rs', false],
    ['patient/Observation.rs?category=lab', 'patient/Observation.rs', false],
    ['patient/Observation.rs?category=lab', 'patient/Observation.s?category=lab', true],
    ['patient/*.rs', 'patient/Observation.rs?category=lab', true],
  ])('allowed %s covers %s: %s', (allowed, requested, expected) => {
    expect(scopeCovers(p(allowed), p(requested))).toBe(expected);
  });

  it('keeps only covered resource scopes and listed launch scopes', () => {
    expect(
      grantableScopes('openid launch patient/*.rs user/*.cruds system/*.*', 'launch patient/*.rs user/*.rs'),
    ).toEqual(['launch', 'patient/*.rs']);
  });
});
