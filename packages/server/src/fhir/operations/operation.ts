import type { Resource } from '@hospitium/fhir';
import type { FhirHandler } from '../types.js';

/**
 * A FHIR operation (`$everything`, `$export`, …). Each lives in its own file under
 * `fhir/operations/`: its OperationDefinition first (as data, also listed in the
 * CapabilityStatement), then its typed parameters, then its handler.
 */
export interface FhirOperation {
  /** The OperationDefinition resource (code without `$`, system/type/instance flags, resource). */
  definition: Resource & {
    resourceType: 'OperationDefinition';
    code: string;
    system: boolean;
    type: boolean;
    instance: boolean;
    resource?: string[];
  };
  /** HTTP methods the operation answers (GET for idempotent operations, POST always). */
  methods: readonly ('GET' | 'POST' | 'DELETE')[];
  handler: FhirHandler;
}
