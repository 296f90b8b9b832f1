import { describe, expect, it } from 'vitest';
import { isResourceType, resourceTypeNames, validateResource } from './index.js';
import { type BadInput, found, observation, one, patient } from './test-fixtures.js';

const badInputs: BadInput[] = [
  {
    name: 'unknown element',
    resource: patient({ nickname: 'Pete' }),
    issues: one('structure', 'Patient.nickname'),
  },
  {
    name: 'unknown element inside a datatype',
    resource: patient({ name: [{ family: 'Chalmers', middle: 'J' }] }),
    issues: one('structure', 'Patient.name[0].middle'),
  },
  {
    name: 'unknown element inside a backbone element',
    resource: observation({ component: [{ code: { text: 'x' }, valueString: 'a', color: 'red' }] }),
    issues: one('structure', 'Observation.component[0].color'),
  },
  {
    name: 'string for boolean',
    resource: patient({ active: 'true' }),
    issues: one('value', 'Patient.active'),
  },
  {
    name: 'number for string',
    resource: patient({ name: [{ family: 42 }] }),
    issues: one('value', 'Patient.name[0].family'),
  },
  {
    name: 'object for primitive',
    resource: patient({ birthDate: { value: '1970-01-01' } }),
    issues: one('structure', 'Patient.birthDate'),
  },
  {
    name: 'string for object',
    resource: observation({ code: 'bp' }),
    issues: one('structure', 'Observation.code'),
  },
  {
    name: 'bad date (month 13)',
    resource: patient({ birthDate: '1970-13-01' }),
    issues: one('value', 'Patient.birthDate'),
  },
  {
    name: 'bad date (no 29 Feb 2023)',
    resource: patient({ birthDate: '2023-02-29' }),
    issues: one('value', 'Patient.birthDate'),
  },
  {
    name: 'dateTime with a time but no time zone',
    resource: observation({ effectiveDateTime: '2024-03-01T10:15:00' }),
    issues: one('value', 'Observation.effectiveDateTime'),
  },
  {
    name: 'instant without a time',
    resource: observation({ issued: '2024-03-01' }),
    issues: one('value', 'Observation.issued'),
  },
  { name: 'id with an underscore', resource: patient({ id: 'p_1' }), issues: one('value', 'Patient.id') },
  {
    name: 'id longer than 64',
    resource: patient({ id: 'a'.repeat(65) }),
    issues: one('value', 'Patient.id'),
  },
  {
    name: 'integer out of 32-bit range',
    resource: observation({ valueQuantity: undefined, valueInteger: 2 ** 31 }),
    issues: one('value', 'Observation.valueInteger'),
  },
  {
    name: 'decimal as a string',
    resource: observation({ valueQuantity: { value: '120' } }),
    issues: one('value', 'Observation.valueQuantity.value'),
  },
  {
    name: 'empty string',
    resource: patient({ name: [{ family: '' }] }),
    issues: one('value', 'Patient.name[0].family'),
  },
  {
    name: 'whitespace-only string',
    resource: patient({ name: [{ given: ['Peter', '  '] }] }),
    issues: one('value', 'Patient.name[0].given[1]'),
  },
  {
    name: 'array where single expected',
    resource: patient({ birthDate: ['1970'] }),
    issues: one('structure', 'Patient.birthDate'),
  },
  {
    name: 'array where a single object expected',
    resource: observation({ code: [{ text: 'bp' }] }),
    issues: one('structure', 'Observation.code'),
  },
  {
    name: 'single where array expected',
    resource: patient({ name: { family: 'x' } }),
    issues: one('structure', 'Patient.name'),
  },
  {
    name: 'single primitive where array expected',
    resource: patient({ name: [{ given: 'Peter' }] }),
    issues: one('structure', 'Patient.name[0].given'),
  },
  {
    name: 'missing Observation.status',
    resource: observation({ status: undefined }),
    issues: one('required', 'Observation.status'),
  },
  {
    name: 'missing Observation.code',
    resource: observation({ code: undefined }),
    issues: one('required', 'Observation.code'),
  },
  {
    name: 'missing required choice (Task.input.value[x])',
    resource: {
      resourceType: 'Task',
      status: 'ready',
      intent: 'order',
      input: [{ type: { text: 'x' } }],
    },
    issues: one('required', 'Task.input[0].value'),
  },
  {
    name: "Observation.status 'bogus'",
    resource: observation({ status: 'bogus' }),
    issues: one('code-invalid', 'Observation.status'),
  },
  {
    name: "Patient.gender 'x'",
    resource: patient({ gender: 'x' }),
    issues: one('code-invalid', 'Patient.gender'),
  },
  {
    name: 'required binding on a datatype element (HumanName.use)',
    resource: patient({ name: [{ use: 'formal', family: 'x' }] }),
    issues: one('code-invalid', 'Patient.name[0].use'),
  },
  {
    name: 'required binding on a CodeableConcept',
    resource: {
      resourceType: 'Condition',
      subject: { reference: 'Patient/p1' },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'cured' }],
      },
    },
    issues: one('code-invalid', 'Condition.clinicalStatus'),
  },
  {
    name: 'two value[x] choices at once',
    resource: observation({ valueString: '120' }),
    issues: [{ code: 'structure', expression: ['Observation.valueQuantity', 'Observation.valueString'] }],
  },
  {
    name: 'choice with a type it does not allow',
    resource: observation({ valueQuantity: undefined, valueMarkdown: '*120*' }),
    issues: one('structure', 'Observation.valueMarkdown'),
  },
  {
    name: 'reference without an id',
    resource: observation({ subject: { reference: 'Patient' } }),
    issues: one('value', 'Observation.subject.reference'),
  },
  {
    name: 'reference to an unknown resource type',
    resource: observation({ subject: { reference: 'Patients/p1' } }),
    issues: one('value', 'Observation.subject.reference'),
  },
  {
    name: 'reference with a bad urn:uuid',
    resource: observation({ subject: { reference: 'urn:uuid:1234' } }),
    issues: one('value', 'Observation.subject.reference'),
  },
  {
    name: 'reference with whitespace',
    resource: observation({ subject: { reference: 'Patient/p 1' } }),
    issues: one('value', 'Observation.subject.reference'),
  },
  {
    name: 'wrong resourceType vs expectedType',
    resource: observation(),
    expectedType: 'Patient',
    issues: one('invalid', 'resourceType'),
  },
  {
    name: 'unknown resource type',
    resource: { resourceType: 'Patients', id: 'p1' },
    issues: one('invalid', 'resourceType'),
  },
  {
    name: 'R4B-only resource type',
    resource: { resourceType: 'SubscriptionStatus', status: 'active' },
    issues: one('invalid', 'resourceType'),
  },
  { name: 'missing resourceType', resource: { id: 'p1' }, issues: one('required', 'resourceType') },
  {
    name: 'resourceType inside a datatype',
    resource: patient({ name: [{ resourceType: 'HumanName', family: 'x' }] }),
    issues: one('structure', 'Patient.name[0].resourceType'),
  },
  { name: 'null value', resource: patient({ active: null }), issues: one('structure', 'Patient.active') },
  {
    name: 'null object',
    resource: observation({ code: null }),
    issues: one('structure', 'Observation.code'),
  },
  {
    name: 'null in an array',
    resource: patient({ name: [null] }),
    issues: one('structure', 'Patient.name[0]'),
  },
  { name: 'empty array', resource: patient({ telecom: [] }), issues: one('structure', 'Patient.telecom') },
  {
    name: 'empty object',
    resource: patient({ maritalStatus: {} }),
    issues: one('structure', 'Patient.maritalStatus'),
  },
  {
    name: 'empty object in an array',
    resource: patient({ name: [{}] }),
    issues: one('structure', 'Patient.name[0]'),
  },
  {
    name: 'comparator in a SimpleQuantity',
    resource: {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      medicationCodeableConcept: { text: 'Paracetamol 500 mg' },
      dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 1, comparator: '<' } }] }],
    },
    issues: one('structure', 'MedicationRequest.dosageInstruction[0].doseAndRate[0].doseQuantity.comparator'),
  },
  {
    name: 'xhtml that is not a div',
    resource: patient({ text: { status: 'generated', div: '<p>Peter</p>' } }),
    issues: one('value', 'Patient.text.div'),
  },
  {
    name: 'non-object input: string',
    resource: 'Patient',
    issues: [{ code: 'structure', expression: undefined }],
  },
  {
    name: 'non-object input: array',
    resource: [patient()],
    issues: [{ code: 'structure', expression: undefined }],
  },
  { name: 'non-object input: null', resource: null, issues: [{ code: 'structure', expression: undefined }] },
];

describe('validateResource: bad input', () => {
  it.each(badInputs)('$name', ({ resource, expectedType, issues }) => {
    expect(found(resource, expectedType)).toEqual(issues);
  });

  it('names the element and the problem in details.text', () => {
    const [issue] = validateResource(patient({ name: [{ given: ['Peter', 7] }] }));
    expect(issue.severity).toBe('error');
    expect(issue.details?.text).toBe(
      'Patient.name[0].given[1] must be a non-blank string (at most 1 MB), got 7.',
    );
  });

  it('lists the allowed codes of a short required value set', () => {
    const [issue] = validateResource(patient({ gender: 'M' }));
    expect(issue.details?.text).toContain('(allowed: male, female, other, unknown)');
  });

  it('reports every problem, not only the first', () => {
    const issues = found({
      resourceType: 'Observation',
      status: 'bogus',
      subject: { reference: 'x y' },
      foo: 1,
    });
    expect(issues).toEqual([
      { code: 'code-invalid', expression: ['Observation.status'] },
      { code: 'value', expression: ['Observation.subject.reference'] },
      { code: 'structure', expression: ['Observation.foo'] },
      { code: 'required', expression: ['Observation.code'] },
    ]);
  });
});

describe('validateResource: valid input', () => {
  it.each([
    ['a minimal resource', { resourceType: 'Patient' }],
    ['the Observation fixture', observation()],
    [
      'a primitive with only an extension',
      patient({ _birthDate: { extension: [{ url: 'http://x.org/a', valueCode: 'unknown' }] } }),
    ],
    [
      'primitive arrays paired with _ siblings and nulls',
      patient({
        name: [
          {
            given: ['Peter', null],
            _given: [null, { extension: [{ url: 'http://x.org/b', valueString: 'Jim' }] }],
          },
        ],
      }),
    ],
    [
      'references of every literal form',
      observation({
        subject: { reference: 'Patient/p1/_history/2' },
        focus: [
          { reference: 'https://example.org/fhir/Patient/p1' },
          { reference: 'urn:uuid:6f1c7d1e-6c52-4b43-a0b1-5d3f0b43c111' },
          { reference: 'urn:oid:1.2.3.4' },
          { reference: '#c1' },
          { reference: 'Patient?identifier=http://example.org/mrn|123' },
        ],
        contained: [{ resourceType: 'Patient', id: 'c1' }],
      }),
    ],
    [
      'a choice given as its _ sibling only',
      observation({ valueQuantity: undefined, _valueString: { id: 'v' } }),
    ],
    [
      'nested extensions',
      patient({ extension: [{ url: 'http://x.org/c', extension: [{ url: 'a', valueInteger: -3 }] }] }),
    ],
    ['a leap day', patient({ birthDate: '2024-02-29' })],
    [
      'Bundle.entry.response.outcome as an OperationOutcome',
      {
        resourceType: 'Bundle',
        type: 'batch-response',
        entry: [
          {
            response: {
              status: '400',
              outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] },
            },
          },
        ],
      },
    ],
  ])('accepts %s', (_name, resource) => {
    expect(validateResource(resource)).toEqual([]);
  });

  it('does not modify its input', () => {
    const input = observation({ contained: [{ resourceType: 'Patient', id: 'c1', gender: 'x' }], foo: null });
    const before = structuredClone(input);
    validateResource(Object.freeze(input));
    expect(input).toEqual(before);
  });
});

describe('resource types', () => {
  it('knows the 146 R4 resource types and nothing else', () => {
    const names = resourceTypeNames();
    expect(names).toHaveLength(146);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('Patient');
    expect(names).toContain('Parameters');
    expect(names).not.toContain('Resource');
    expect(names).not.toContain('DomainResource');
    expect(names).not.toContain('SubscriptionStatus');
  });

  it('isResourceType tells resource types from datatypes', () => {
    expect(isResourceType('Observation')).toBe(true);
    expect(isResourceType('HumanName')).toBe(false);
    expect(isResourceType('patient')).toBe(false);
    expect(isResourceType('DomainResource')).toBe(false);
  });

  it('returns a copy the caller may change', () => {
    resourceTypeNames().pop();
    expect(resourceTypeNames()).toHaveLength(146);
  });
});
