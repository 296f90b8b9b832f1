import type { FhirOperation } from '../../../fhir/operations/operation.js';

type ParameterDefinition = { name: string; use: 'in' | 'out'; min: number; max: string; type: string };

/**
 * The OperationDefinition of an ADT operation (Hospitium's own: FHIR R4 defines none for ADT),
 * listed in the CapabilityStatement and readable by integrators.
 */
export function adtDefinition(options: {
  code: string;
  resource: 'Encounter' | 'Location';
  level: 'type' | 'instance';
  title: string;
  description: string;
  parameter: ParameterDefinition[];
  affectsState?: boolean;
}): FhirOperation['definition'] {
  const id = `${options.resource}-${options.code}`;
  return {
    resourceType: 'OperationDefinition',
    id,
    url: `http://hospitium.org/fhir/OperationDefinition/${id}`,
    name: id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    title: options.title,
    status: 'active',
    kind: 'operation',
    description: options.description,
    code: options.code,
    affectsState: options.affectsState ?? true,
    resource: [options.resource],
    system: false,
    type: options.level === 'type',
    instance: options.level === 'instance',
    parameter: options.parameter,
  };
}

export const returnParameter = (type: string): ParameterDefinition => ({
  name: 'return',
  use: 'out',
  min: 1,
  max: '1',
  type,
});
