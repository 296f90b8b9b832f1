import { describe, expect, it } from 'vitest';
import type { Resource } from '../../types.js';
import { extractIndexes } from '../index.js';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';

function tokens(resource: Resource, param: string) {
  return extractIndexes(resource).token.filter((r) => r.param === param);
}

describe('token rows', () => {
  it('Coding (meta.tag, meta.security): system, code and display as text', () => {
    const patient: Resource = {
      resourceType: 'Patient',
      meta: {
        tag: [{ system: 'urn:tags', code: 'vip', display: 'Very important' }, { code: 'plain' }],
        security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
      },
    };
    expect(tokens(patient, '_tag')).toEqual([
      { param: '_tag', system: 'urn:tags', code: 'vip', text: 'Very important' },
      { param: '_tag', system: null, code: 'plain', text: null },
    ]);
    expect(tokens(patient, '_security')).toEqual([
      {
        param: '_security',
        system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
        code: 'R',
        text: null,
      },
    ]);
  });

  it('CodeableConcept: one row per coding with its display, and one for CodeableConcept.text', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      status: 'final',
      code: {
        coding: [
          { system: LOINC, code: '29463-7', display: 'Body weight' },
          { system: SNOMED, code: '27113001', display: 'Body weight (observable entity)' },
        ],
        text: 'Weight',
      },
    };
    expect(tokens(obs, 'code')).toEqual([
      { param: 'code', system: LOINC, code: '29463-7', text: 'Body weight' },
      { param: 'code', system: SNOMED, code: '27113001', text: 'Body weight (observable entity)' },
      { param: 'code', system: null, code: null, text: 'Weight' },
    ]);
  });

  it('CodeableConcept without text uses each coding display; with text only, one text row', () => {
    const withoutText: Resource = {
      resourceType: 'Condition',
      code: { coding: [{ system: SNOMED, code: '44054006', display: 'Diabetes mellitus type 2' }] },
    };
    expect(tokens(withoutText, 'code')).toEqual([
      { param: 'code', system: SNOMED, code: '44054006', text: 'Diabetes mellitus type 2' },
    ]);
    const textOnly: Resource = { resourceType: 'Condition', code: { text: 'Sore knee' } };
    expect(tokens(textOnly, 'code')).toEqual([
      { param: 'code', system: null, code: null, text: 'Sore knee' },
    ]);
    expect(tokens({ resourceType: 'Condition', code: {} }, 'code')).toEqual([]);
  });

  it('Identifier: system, value as code, type.text as text', () => {
    const patient: Resource = {
      resourceType: 'Patient',
      identifier: [
        { system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345', type: { text: 'MRN' } },
        { value: 'no-system' },
        { system: 'urn:only-system' },
        { type: { text: 'nothing else' } },
      ],
    };
    expect(tokens(patient, 'identifier')).toEqual([
      { param: 'identifier', system: 'urn:oid:1.2.36.146.595.217.0.1', code: '12345', text: 'MRN' },
      { param: 'identifier', system: null, code: 'no-system', text: null },
      { param: 'identifier', system: 'urn:only-system', code: null, text: null },
      { param: 'identifier', system: null, code: null, text: 'nothing else' },
    ]);
  });

  it('ContactPoint: the value, with telecom.where(system=…) picking phone and email', () => {
    const patient: Resource = {
      resourceType: 'Patient',
      telecom: [
        { system: 'phone', value: '+1 555 0100', use: 'home' },
        { system: 'email', value: 'ada@example.org' },
        { system: 'fax', value: '+1 555 0199' },
        { system: 'phone' },
      ],
    };
    expect(tokens(patient, 'telecom').map((r) => r.code)).toEqual([
      '+1 555 0100',
      'ada@example.org',
      '+1 555 0199',
    ]);
    expect(tokens(patient, 'phone')).toEqual([
      { param: 'phone', system: null, code: '+1 555 0100', text: null },
    ]);
    expect(tokens(patient, 'email')).toEqual([
      { param: 'email', system: null, code: 'ada@example.org', text: null },
    ]);
  });

  it('code, boolean, string and uri primitives: the value with a null system', () => {
    const patient: Resource = { resourceType: 'Patient', gender: 'female', active: false };
    expect(tokens(patient, 'gender')).toEqual([
      { param: 'gender', system: null, code: 'female', text: null },
    ]);
    expect(tokens(patient, 'active')).toEqual([{ param: 'active', system: null, code: 'false', text: null }]);
    const header: Resource = { resourceType: 'MessageHeader', eventUri: 'http://example.org/events/admit' };
    expect(tokens(header, 'event')).toEqual([
      { param: 'event', system: null, code: 'http://example.org/events/admit', text: null },
    ]);
    const vs: Resource = { resourceType: 'ValueSet', version: '2.0.1' };
    expect(tokens(vs, 'version')).toEqual([{ param: 'version', system: null, code: '2.0.1', text: null }]);
  });

  it('Patient.deceased (evaluated by fhirpath): true for a boolean or a date of death, false otherwise', () => {
    const deceased = (p: Partial<Resource>) =>
      tokens({ resourceType: 'Patient', ...p }, 'deceased').map((r) => r.code);
    expect(deceased({ deceasedBoolean: true })).toEqual(['true']);
    expect(deceased({ deceasedDateTime: '2020-01-01' })).toEqual(['true']);
    expect(deceased({ deceasedBoolean: false })).toEqual(['false']);
    expect(deceased({})).toEqual(['false']);
  });

  it('does not index _id (a column of the resource table) and drops duplicate rows', () => {
    const obs: Resource = {
      resourceType: 'Observation',
      id: 'o1',
      code: {
        coding: [
          { system: LOINC, code: '8302-2' },
          { system: LOINC, code: '8302-2' },
        ],
      },
    };
    const rows = extractIndexes(obs).token;
    expect(rows.filter((r) => r.param === '_id')).toEqual([]);
    expect(rows.filter((r) => r.param === 'code')).toEqual([
      { param: 'code', system: LOINC, code: '8302-2', text: null },
    ]);
  });

  it('skips values of the wrong shape', () => {
    const odd = {
      resourceType: 'Observation',
      status: 42,
      code: { coding: ['8302-2', null, { system: 7, code: '8302-2' }], text: ['x'] },
      category: 'vital-signs',
      identifier: [{ system: 'urn:a', value: 12 }],
    } as unknown as Resource;
    const rows = extractIndexes(odd).token;
    expect(rows.filter((r) => r.param === 'status')).toEqual([]);
    expect(rows.filter((r) => r.param === 'code')).toEqual([
      { param: 'code', system: null, code: '8302-2', text: null },
    ]);
    expect(rows.filter((r) => r.param === 'category')).toEqual([]);
    expect(rows.filter((r) => r.param === 'identifier')).toEqual([
      { param: 'identifier', system: 'urn:a', code: null, text: null },
    ]);
  });
});
