import { describe, expect, it } from 'vitest';
import { type TypeSchema, typeSchema } from './schema.js';
import { allStructures, resourceTypeNames } from './structures.js';

function slot(schema: TypeSchema | undefined, key: string) {
  const found = schema?.slots.get(key);
  if (!found) throw new Error(`no slot ${key} in ${schema?.name}`);
  return found;
}

function nested(schema: TypeSchema | undefined, key: string): TypeSchema {
  const type = slot(schema, key).type;
  if (type.kind !== 'complex') throw new Error(`${key} is not complex`);
  return type.schema();
}

describe('typeSchema', () => {
  it('compiles every resource type and complex datatype, and every type they refer to resolves', () => {
    const seen = new Set<TypeSchema>();
    const visit = (schema: TypeSchema): void => {
      if (seen.has(schema)) return;
      seen.add(schema);
      for (const s of schema.slots.values()) if (s.type.kind === 'complex') visit(s.type.schema());
    };
    const complexTypes = [...allStructures()].filter((s) => s.kind === 'complex-type').map((s) => s.name);
    for (const name of [...resourceTypeNames(), ...complexTypes]) {
      const schema = typeSchema(name);
      expect(schema, name).toBeDefined();
      if (schema) visit(schema);
    }
    expect(seen.size).toBeGreaterThan(600); // resources, datatypes and their backbone elements
  });

  it('has no schema for primitives or unknown names', () => {
    expect(typeSchema('string')).toBeUndefined();
    expect(typeSchema('Patients')).toBeUndefined();
  });

  it('maps each type of a choice to its JSON name, with a _ sibling for primitive ones', () => {
    const observation = typeSchema('Observation');
    expect(slot(observation, 'valueQuantity').type).toMatchObject({ kind: 'complex', code: 'Quantity' });
    expect(slot(observation, 'valueDateTime').type).toEqual({ kind: 'primitive', code: 'dateTime' });
    expect(slot(observation, '_valueString').primitiveExtension).toBe(true);
    expect(observation?.slots.has('valueMarkdown')).toBe(false);
    expect(observation?.slots.has('_valueQuantity')).toBe(false);
    expect(slot(observation, 'valueString').element.keys).toHaveLength(11);
  });

  it('records cardinality and required bindings', () => {
    const status = slot(typeSchema('Observation'), 'status').element;
    expect(status).toMatchObject({
      min: 1,
      max: 1,
      array: false,
      binding: 'http://hl7.org/fhir/ValueSet/observation-status',
    });
    expect(slot(typeSchema('Patient'), 'name').element).toMatchObject({ min: 0, array: true });
    expect(typeSchema('Observation')?.required.map((e) => e.name)).toEqual(['status', 'code']);
  });

  it('resolves contentReference to the same backbone schema (Questionnaire.item.item)', () => {
    const item = nested(typeSchema('Questionnaire'), 'item');
    expect(item.name).toBe('Questionnaire.item');
    expect(nested(item, 'item')).toBe(item);
    const parameter = nested(typeSchema('Parameters'), 'parameter');
    expect(nested(parameter, 'part')).toBe(parameter);
  });

  it('types Resource.id as id, and gives the XML attributes id and url no _ sibling', () => {
    expect(slot(typeSchema('Patient'), 'id').type).toEqual({ kind: 'primitive', code: 'id' });
    expect(typeSchema('Patient')?.slots.has('_id')).toBe(true);
    expect(typeSchema('Extension')?.slots.has('_url')).toBe(false);
    expect(typeSchema('HumanName')?.slots.has('_id')).toBe(false);
    expect(typeSchema('Narrative')?.slots.has('_div')).toBe(false);
  });

  it('uses the profile of a profiled datatype (SimpleQuantity has no comparator)', () => {
    const doseAndRate = nested(nested(typeSchema('Dosage'), 'doseAndRate'), 'doseQuantity');
    expect(doseAndRate.name).toBe('SimpleQuantity');
    expect(slot(doseAndRate, 'comparator').element.max).toBe(0);
  });

  it('treats nested resources as resources', () => {
    expect(slot(typeSchema('Patient'), 'contained').type).toEqual({ kind: 'resource' });
    const response = nested(nested(typeSchema('Bundle'), 'entry'), 'response');
    expect(slot(response, 'outcome').type).toEqual({ kind: 'resource', resourceType: 'OperationOutcome' });
  });
});
