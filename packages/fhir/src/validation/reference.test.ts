import { describe, expect, it } from 'vitest';
import { isResourceType } from './index.js';
import { checkReferenceSyntax } from './reference.js';

describe('checkReferenceSyntax', () => {
  it.each([
    'Patient/123',
    'Patient/a-b.C',
    'Observation/1/_history/2',
    'http://example.org/fhir/Patient/123',
    'https://example.org/fhir/Patient/123/_history/1',
    'urn:uuid:c757873d-ec9a-4326-a141-556f43239520',
    'urn:oid:1.2.3.4.5',
    '#contained-1',
    '#',
    'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999967793',
  ])('accepts %s', (reference) => {
    expect(checkReferenceSyntax(reference, isResourceType)).toBeUndefined();
  });

  it.each([
    ['Patient', 'expected Type/id'],
    ['Patient/', 'expected Type/id'],
    ['Patient/a_b', 'expected Type/id'],
    ['Patient/1/_history', 'expected Type/id'],
    ['/Patient/1', 'expected Type/id'],
    ['Patient/ 1', 'expected Type/id'],
    ['Patients/1', 'Patients is not a FHIR R4 resource type'],
    ['HumanName/1', 'HumanName is not a FHIR R4 resource type'],
    ['Foo?name=x', 'Foo is not a FHIR R4 resource type'],
    ['urn:uuid:1234', 'urn:uuid: must be followed by a UUID'],
    ['urn:oid:abc', 'urn:oid: must be followed by an OID'],
    ['urn:isbn:0451450523', 'only urn:uuid: and urn:oid:'],
    ['#a b', 'a contained reference must be #id'],
    ['http://', 'an absolute reference must be a URL'],
    ['https://example.org/Patient/1 2', 'an absolute reference must be a URL'],
    ['ftp://example.org/Patient/1', 'expected Type/id'],
  ])('rejects %s', (reference, problem) => {
    expect(checkReferenceSyntax(reference, isResourceType)).toContain(problem);
  });
});
