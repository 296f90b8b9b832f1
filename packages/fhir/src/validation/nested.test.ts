import { describe, expect, it } from 'vitest';
import { validateResource } from './index.js';
import { type BadInput, found, observation, one, patient } from './test-fixtures.js';

/** Errors deep inside a resource: nested resources, reused backbone definitions, extensions. */
const badInputs: BadInput[] = [
  {
    name: 'nested error inside a contained resource',
    resource: observation({ contained: [{ resourceType: 'Patient', id: 'c1', birthDate: '1970-02-30' }] }),
    issues: one('value', 'Observation.contained[0].birthDate'),
  },
  {
    name: 'contained resource without resourceType',
    resource: observation({ contained: [{ id: 'c1' }] }),
    issues: one('required', 'Observation.contained[0].resourceType'),
  },
  {
    name: 'nested error inside a Bundle entry',
    resource: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: patient() }, { resource: observation({ status: 'done' }) }],
    },
    issues: one('code-invalid', 'Bundle.entry[1].resource.status'),
  },
  {
    name: 'unknown element inside a Bundle entry resource',
    resource: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: patient({ colour: 'blue' }) }],
    },
    issues: one('structure', 'Bundle.entry[0].resource.colour'),
  },
  {
    name: 'nested error inside a Parameters resource',
    resource: {
      resourceType: 'Parameters',
      parameter: [{ name: 'patient', resource: patient({ gender: 'm' }) }],
    },
    issues: one('code-invalid', 'Parameters.parameter[0].resource.gender'),
  },
  {
    name: 'nested error in Parameters.parameter.part (contentReference)',
    resource: {
      resourceType: 'Parameters',
      parameter: [{ name: 'a', part: [{ name: 'b', valueInteger: '1' }] }],
    },
    issues: one('value', 'Parameters.parameter[0].part[0].valueInteger'),
  },
  {
    name: 'nested error in Questionnaire.item.item (contentReference)',
    resource: {
      resourceType: 'Questionnaire',
      status: 'draft',
      item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'text', required: 'yes' }] }],
    },
    issues: one('value', 'Questionnaire.item[0].item[0].required'),
  },
  {
    name: 'null primitive in an array without an extension beside it',
    resource: patient({ name: [{ given: ['Peter', null] }] }),
    issues: one('structure', 'Patient.name[0].given[1]'),
  },
  {
    name: '_name sibling of a non-primitive',
    resource: patient({ _name: [{ id: 'n' }] }),
    issues: one('structure', 'Patient._name'),
  },
  {
    name: '_given not aligned with given',
    resource: patient({ name: [{ given: ['Peter', 'James'], _given: [{ id: 'g1' }] }] }),
    issues: one('structure', 'Patient.name[0]._given'),
  },
  {
    name: 'extension without url',
    resource: patient({ extension: [{ valueString: 'x' }] }),
    issues: one('required', 'Patient.extension[0].url'),
  },
  {
    name: 'extension with two values',
    resource: patient({ extension: [{ url: 'http://example.org/a', valueString: 'x', valueBoolean: true }] }),
    issues: [
      {
        code: 'structure',
        expression: ['Patient.extension[0].valueString', 'Patient.extension[0].valueBoolean'],
      },
    ],
  },
  {
    name: 'extension value of the wrong datatype',
    resource: patient({ extension: [{ url: 'http://example.org/a', valueDate: '2024-13' }] }),
    issues: one('value', 'Patient.extension[0].valueDate'),
  },
  {
    name: 'extension that is not an array',
    resource: patient({ modifierExtension: { url: 'http://example.org/a', valueBoolean: true } }),
    issues: one('structure', 'Patient.modifierExtension'),
  },
  {
    name: 'error inside a primitive extension',
    resource: patient({
      _birthDate: { extension: [{ url: 'http://example.org/t', valueTime: '25:00:00' }] },
    }),
    issues: one('value', 'Patient.birthDate.extension[0].valueTime'),
  },
];

describe('validateResource: nested elements', () => {
  it.each(badInputs)('$name', ({ resource, expectedType, issues }) => {
    expect(found(resource, expectedType)).toEqual(issues);
  });

  it('checks the resourceType of a typed nested resource slot', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: [{ response: { status: '400', outcome: patient() } }],
    };
    expect(found(bundle)).toEqual(one('invalid', 'Bundle.entry[0].response.outcome.resourceType'));
  });

  it('refuses absurdly deep nesting instead of overflowing the stack', () => {
    let extension: Record<string, unknown> = { url: 'http://example.org/leaf', valueString: 'x' };
    for (let i = 0; i < 5000; i++) extension = { url: 'http://example.org/n', extension: [extension] };
    const issues = validateResource(patient({ extension: [extension] }));
    expect(issues).toHaveLength(1);
    expect(issues[0].code).toBe('structure');
    expect(issues[0].details?.text).toContain('nested more than');
  });
});
